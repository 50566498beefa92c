import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminOnly } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { pageLimit } from '../common/pagination/pagination.js';
import {
  CreateReconciliationRunRequest,
  ReconciliationExceptionListQuery,
  ReconciliationExceptionListView,
  ReconciliationExceptionView,
  ReconciliationRunView,
  ResolveReconciliationExceptionRequest,
  StatementQuery,
} from './dto/provider-reconciliation.dto.js';
import { ReconcileProviderService } from './use-cases/reconcile-provider/reconcile-provider.service.js';

@ApiTags('Admin: reconciliation')
@Controller('v1/admin')
@AdminOnly()
export class AdminReconciliationController {
  constructor(private readonly reconciliation: ReconcileProviderService) {}

  @Post('reconciliation/runs')
  @ApiOperation({
    summary: "Reconcile the provider's records of a period against the ledger (operator)",
    description:
      'Imports what the rail says happened (the local bank statement file in `statement_csv`, or fetched from the ' +
      'rail: the local bank, or Stripe transfers and payouts) and matches it to the ledger line by line. Every ' +
      'unmatched line and amount difference becomes an exception with a `reconciliation_exception.created` event.',
  })
  @ApiCreatedResponse({ type: ReconciliationRunView })
  @ApiErrors(400, 403)
  run(@Body() body: CreateReconciliationRunRequest): Promise<ReconciliationRunView> {
    return this.reconciliation.run(body);
  }

  @Get('reconciliation/exceptions')
  @ApiOperation({ summary: 'List reconciliation exceptions, newest first (operator)' })
  @ApiOkResponse({ type: ReconciliationExceptionListView })
  @ApiErrors(400, 403)
  exceptions(@Query() query: ReconciliationExceptionListQuery) {
    return this.reconciliation.listExceptions({
      status: query.status,
      limit: pageLimit(query),
      startingAfter: query.starting_after,
    });
  }

  @Post('reconciliation/exceptions/:id/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resolve a reconciliation exception with a note (operator)' })
  @ApiOkResponse({ type: ReconciliationExceptionView })
  @ApiErrors(400, 403, 404)
  resolve(
    @Param('id') id: string,
    @Body() body: ResolveReconciliationExceptionRequest,
  ): Promise<ReconciliationExceptionView> {
    return this.reconciliation.resolveException(id, body.note);
  }

  @Get('local_rail/statement.csv')
  @ApiOperation({
    summary: "Download the local bank's statement file for a period (operator)",
    description: 'One line per money movement of the simulated bank: payouts out (negative), returns in (positive).',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV: date,bank_reference,payout,type,amount,currency', schema: { type: 'string' } })
  @ApiErrors(400, 403)
  async statement(@Query() query: StatementQuery, @Res({ passthrough: true }) response: Response): Promise<string> {
    const csv = await this.reconciliation.localStatement(new Date(query.from), new Date(query.to));
    response.type('text/csv; charset=utf-8');
    return csv;
  }
}
