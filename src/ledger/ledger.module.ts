import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { LEDGER_MAINTENANCE_QUEUE } from '../common/queues.js';
import { AdminLedgerController } from './admin-ledger.controller.js';
import { BalanceController } from './balance.controller.js';
import { LedgerMaintenanceProcessor } from './ledger-maintenance.processor.js';
import { LedgerReportsService } from './ledger-reports.service.js';
import { LedgerRepository } from './ledger.repository.js';
import { LedgerService } from './ledger.service.js';
import { CreateAdjustmentService } from './use-cases/create-adjustment/create-adjustment.service.js';

/** The ledger: the only writer of money. Global so that every module can inject LedgerService. */
@Global()
@Module({
  imports: [BullModule.registerQueue({ name: LEDGER_MAINTENANCE_QUEUE })],
  controllers: [BalanceController, AdminLedgerController],
  providers: [
    LedgerRepository,
    LedgerService,
    LedgerReportsService,
    CreateAdjustmentService,
    LedgerMaintenanceProcessor,
  ],
  exports: [LedgerService],
})
export class LedgerModule {}
