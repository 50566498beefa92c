import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentAccount, RequireScopes } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { pageLimit } from '../common/pagination/pagination.js';
import { CreatePayoutRequest, PayoutListQuery, PayoutListView, PayoutView } from './dto/payout.dto.js';
import { PayoutReconciliationView } from './dto/reconciliation.dto.js';
import { PayoutsService } from './payouts.service.js';
import { CancelPayoutService } from './use-cases/cancel-payout/cancel-payout.service.js';
import { CreatePayoutService } from './use-cases/create-payout/create-payout.service.js';
import { ReconcilePayoutService } from './use-cases/reconcile-payout/reconcile-payout.service.js';

@ApiTags('Payouts')
@Controller('v1/payouts')
@RequireScopes()
export class PayoutsController {
  constructor(
    private readonly payouts: PayoutsService,
    private readonly createPayout: CreatePayoutService,
    private readonly cancelPayout: CancelPayoutService,
    private readonly reconcilePayout: ReconcilePayoutService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Request a manual payout of available funds',
    description:
      'Whole minor units of the currency, at most the available balance (402 insufficient_funds otherwise, also ' +
      'when concurrent payouts took it first). The payout starts `pending` and a worker sends it to the provider.',
  })
  @ApiCreatedResponse({ type: PayoutView })
  @ApiErrors(400, 402, 403, 409, 422)
  create(@CurrentAccount() accountId: string, @Body() body: CreatePayoutRequest): Promise<PayoutView> {
    return this.createPayout.createManual(accountId, body);
  }

  @Get()
  @ApiOperation({ summary: 'List payouts, newest first' })
  @ApiOkResponse({ type: PayoutListView })
  @ApiErrors(400)
  list(@CurrentAccount() accountId: string, @Query() query: PayoutListQuery) {
    return this.payouts.list(accountId, {
      status: query.status,
      limit: pageLimit(query),
      startingAfter: query.starting_after,
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a payout' })
  @ApiOkResponse({ type: PayoutView })
  @ApiErrors(404)
  get(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<PayoutView> {
    return this.payouts.get(accountId, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel a payout not yet sent to the provider',
    description: 'The amount returns to the available balance at once. 409 payout_not_cancelable once it was sent.',
  })
  @ApiOkResponse({ type: PayoutView })
  @ApiErrors(404, 409)
  cancel(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<PayoutView> {
    return this.cancelPayout.cancel(accountId, id);
  }

  @Get(':id/reconciliation')
  @ApiOperation({
    summary: 'Explain a payout line by line',
    description:
      'Every movement of the available balance since the previous payout: the payments, usage charges, refunds and ' +
      'subsidies that became available (gross, fee, net), reserve holds and releases, failed or returned payouts ' +
      'and adjustments, such that opening_balance + lines_total − payout_amount = closing_balance exactly. ' +
      'Send `Accept: text/csv` for a CSV file with the same lines between opening and closing balance rows.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: PayoutReconciliationView })
  @ApiErrors(404)
  async reconciliation(
    @CurrentAccount() accountId: string,
    @Param('id') id: string,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PayoutReconciliationView | string> {
    if (!accept?.includes('text/csv')) return this.reconcilePayout.report(accountId, id);
    response.type('text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${id}-reconciliation.csv"`);
    return this.reconcilePayout.csv(accountId, id);
  }
}
