import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AdminOnly } from '../common/auth/auth.decorators.js';
import { requestIdOf } from '../common/http/request-id.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { ListQuery, pageLimit } from '../common/pagination/pagination.js';
import {
  CreateAdjustmentRequest,
  LedgerAccountListView,
  LedgerEntryListView,
  LedgerTransactionView,
  ListLedgerAccountsQuery,
  TrialBalanceQuery,
  TrialBalanceView,
} from './dto/ledger.dto.js';
import { LedgerReportsService } from './ledger-reports.service.js';
import { CreateAdjustmentService } from './use-cases/create-adjustment/create-adjustment.service.js';

@ApiTags('Admin: ledger')
@Controller('v1/admin/ledger')
@AdminOnly()
export class AdminLedgerController {
  constructor(
    private readonly reports: LedgerReportsService,
    private readonly adjustments: CreateAdjustmentService,
  ) {}

  @Get('trial_balance')
  @ApiOperation({
    summary: 'Trial balance: Σ debits and Σ credits per currency and purpose (operator)',
    description: 'Balanced when, for every currency, debits equal credits, pending and posted separately.',
  })
  @ApiOkResponse({ type: TrialBalanceView })
  @ApiErrors(400, 403)
  trialBalance(@Query() query: TrialBalanceQuery): Promise<TrialBalanceView> {
    return this.reports.trialBalance(query.verify_entries ?? false);
  }

  @Get('accounts')
  @ApiOperation({ summary: 'List ledger accounts with their balances, newest first (operator)' })
  @ApiOkResponse({ type: LedgerAccountListView })
  @ApiErrors(400, 403)
  accounts(@Query() query: ListLedgerAccountsQuery): Promise<LedgerAccountListView> {
    return this.reports.listAccounts({
      owner: query.owner,
      purpose: query.purpose,
      currency: query.currency,
      limit: pageLimit(query),
      startingAfter: query.starting_after,
    });
  }

  @Get('accounts/:id/entries')
  @ApiOperation({ summary: "List a ledger account's entries with resulting balances, newest first (operator)" })
  @ApiOkResponse({ type: LedgerEntryListView })
  @ApiErrors(400, 403, 404)
  entries(@Param('id') id: string, @Query() query: ListQuery): Promise<LedgerEntryListView> {
    return this.reports.accountEntries(id, { limit: pageLimit(query), startingAfter: query.starting_after });
  }

  @Get('transactions/:id')
  @ApiOperation({ summary: 'Retrieve a ledger transaction with its legs, entries and linked transactions (operator)' })
  @ApiOkResponse({ type: LedgerTransactionView })
  @ApiErrors(403, 404)
  transaction(@Param('id') id: string): Promise<LedgerTransactionView> {
    return this.reports.transaction(id);
  }

  @Post('adjustments')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Post a balanced manual correction with a reason (operator)',
    description:
      "Recorded with the operator's request id. A bounded account (wallet, available…) cannot go below its floor. " +
      'Send the same `reference` again to replay the first result.',
  })
  @ApiCreatedResponse({ type: LedgerTransactionView })
  @ApiErrors(400, 402, 403, 409)
  adjust(@Body() body: CreateAdjustmentRequest, @Req() request: Request): Promise<LedgerTransactionView> {
    return this.adjustments.execute(body, requestIdOf(request));
  }
}
