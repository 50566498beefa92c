import { Controller, Get, Query } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, RequireScopes } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { pageLimit } from '../common/pagination/pagination.js';
import { BalanceTransactionListView, BalanceView, ListBalanceTransactionsQuery } from './dto/ledger.dto.js';
import { LedgerReportsService } from './ledger-reports.service.js';
import { PAYOUT_TRANSACTIONS, type PayoutTransactions } from './payout-transactions.js';

@ApiTags('Balance')
@Controller('v1')
@RequireScopes()
export class BalanceController {
  constructor(
    private readonly reports: LedgerReportsService,
    private readonly moduleRef: ModuleRef,
  ) {}

  @Get('balance')
  @ApiOperation({
    summary: "Retrieve the caller's balances by currency and purpose",
    description:
      'Payers have a `wallet`; receivers have `pending` (not yet settled), `available` (can be paid out), ' +
      '`reserve` and `payout_in_transit`. Only accounts that ever moved money are listed.',
  })
  @ApiOkResponse({ type: BalanceView })
  @ApiErrors()
  balance(@CurrentAccount() accountId: string): Promise<BalanceView> {
    return this.reports.balanceOf(accountId);
  }

  @Get('balance_transactions')
  @ApiOperation({
    summary: "List the caller's balance transactions (ledger lines), newest first",
    description:
      'One line per ledger transaction and balance of the caller that it moved: gross amount, the fee paid to the ' +
      'platform, the net change and the resulting balance.',
  })
  @ApiOkResponse({ type: BalanceTransactionListView })
  @ApiErrors(400, 404)
  async list(
    @CurrentAccount() accountId: string,
    @Query() query: ListBalanceTransactionsQuery,
  ): Promise<BalanceTransactionListView> {
    const transactionIds = query.payout
      ? await this.moduleRef
          .get<PayoutTransactions>(PAYOUT_TRANSACTIONS, { strict: false })
          .transactionsOf(accountId, query.payout)
      : undefined;
    return this.reports.balanceTransactions(accountId, {
      transactionIds,
      limit: pageLimit(query),
      startingAfter: query.starting_after,
      type: query.type,
      createdGte: query.created_gte,
      createdLt: query.created_lt,
    });
  }
}
