import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { PayoutsModule } from '../payouts/payouts.module.js';
import { BalanceStatementService } from './balance-statement.service.js';
import { ReportsController } from './reports.controller.js';

/** Downloadable statements for finance teams, built on the payouts module's explanation of balance movements. */
@Module({
  imports: [AccountsModule, PayoutsModule],
  controllers: [ReportsController],
  providers: [BalanceStatementService],
})
export class ReportsModule {}
