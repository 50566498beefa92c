import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentAccount, RequireScopes } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { BalanceStatementService } from './balance-statement.service.js';
import { BalanceStatementQuery } from './dto/balance-statement.dto.js';

@ApiTags('Reports')
@Controller('v1/reports')
@RequireScopes()
export class ReportsController {
  constructor(private readonly statements: BalanceStatementService) {}

  @Get('balance_transactions.csv')
  @ApiOperation({
    summary: 'Download a statement of the available balance for a period (CSV, streamed)',
    description:
      'Rows: the opening balance, every movement of the available balance in [from, to) — payments, usage charges, ' +
      'refunds and subsidies as they settled (gross, fee, net), reserve holds and releases, payouts, failed or ' +
      'returned payouts, adjustments — then the closing balance. Opening + the rows = closing, exactly.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description:
      'type,created,available_on,source_type,source_id,ledger_transaction,description,gross,fee,net,currency',
    schema: { type: 'string' },
  })
  @ApiErrors(400)
  async balanceTransactions(
    @CurrentAccount() accountId: string,
    @Query() query: BalanceStatementQuery,
    @Res() response: Response,
  ): Promise<void> {
    const rows = this.statements.csv(accountId, query);
    // The first row is produced before any byte is sent, so a bad request still gets a JSON error.
    const first = await rows.next();
    response.type('text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', 'attachment; filename="balance_transactions.csv"');
    if (!first.done) response.write(first.value);
    for await (const row of rows) response.write(row);
    response.end();
  }
}
