import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module.js';
import { AdminPayoutsController } from './admin-payouts.controller.js';
import { AdminReconciliationController } from './admin-reconciliation.controller.js';
import { PayoutClockProcessor } from './payout-clock.processor.js';
import { PayoutClockService } from './payout-clock.service.js';
import { PayoutScheduleRepository } from './payout-schedule.repository.js';
import { PayoutSettings } from './payout-settings.entity.js';
import { PayoutSettingsController } from './payout-settings.controller.js';
import { PayoutSettingsRepository } from './payout-settings.repository.js';
import { PayoutSettingsService } from './payout-settings.service.js';
import { Payout } from './payout.entity.js';
import { PayoutsController } from './payouts.controller.js';
import { PayoutsProcessor } from './payouts.processor.js';
import { PAYOUT_SCHEDULER_QUEUE, PAYOUTS_QUEUE } from './payouts.queues.js';
import { PayoutsRepository } from './payouts.repository.js';
import { PayoutsService } from './payouts.service.js';
import { AvailableEntriesRepository } from './reconciliation/available-entries.repository.js';
import { ProviderReconciliationRepository } from './reconciliation/provider-reconciliation.repository.js';
import { SettlementRepository } from './settlement.repository.js';
import { StripePayoutEventsHandler } from './stripe-payout-events.handler.js';
import { ApplyPayoutUpdateService } from './use-cases/apply-payout-update/apply-payout-update.service.js';
import { CancelPayoutService } from './use-cases/cancel-payout/cancel-payout.service.js';
import { CreatePayoutService } from './use-cases/create-payout/create-payout.service.js';
import {
  PayoutTransactionsService,
  ReconcilePayoutService,
} from './use-cases/reconcile-payout/reconcile-payout.service.js';
import { PAYOUT_TRANSACTIONS } from '../ledger/payout-transactions.js';
import { ReconcileProviderService } from './use-cases/reconcile-provider/reconcile-provider.service.js';
import { RunPayoutScheduleService } from './use-cases/run-payout-schedule/run-payout-schedule.service.js';
import { SettleFundsService } from './use-cases/settle-funds/settle-funds.service.js';
import { SubmitPayoutService } from './use-cases/submit-payout/submit-payout.service.js';

/**
 * Settlement (pending → available after the delay, rolling reserve), payout settings and schedules, the payout
 * pipeline (outbox → BullMQ → provider, forward-only status updates) and reconciliation.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Payout, PayoutSettings]),
    AccountsModule,
    BullModule.registerQueue(
      // 5xx and timeouts are retried with backoff: 12 attempts, 1 s after the first failure and doubling (about
      // 35 minutes of waiting). After that the payout stays pending and the payout clock hands it to the queue
      // again (PAYOUT_RESUBMIT_AFTER_SECONDS).
      {
        name: PAYOUTS_QUEUE,
        defaultJobOptions: {
          attempts: 12,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: { age: 86_400, count: 20_000 },
          removeOnFail: { age: 7 * 86_400 },
        },
      },
      { name: PAYOUT_SCHEDULER_QUEUE, defaultJobOptions: { removeOnComplete: 100, removeOnFail: 100 } },
    ),
  ],
  controllers: [PayoutSettingsController, PayoutsController, AdminPayoutsController, AdminReconciliationController],
  providers: [
    PayoutsRepository,
    PayoutSettingsRepository,
    PayoutScheduleRepository,
    SettlementRepository,
    AvailableEntriesRepository,
    ProviderReconciliationRepository,
    PayoutSettingsService,
    PayoutsService,
    CreatePayoutService,
    CancelPayoutService,
    SubmitPayoutService,
    ApplyPayoutUpdateService,
    SettleFundsService,
    RunPayoutScheduleService,
    ReconcilePayoutService,
    PayoutTransactionsService,
    { provide: PAYOUT_TRANSACTIONS, useExisting: PayoutTransactionsService },
    ReconcileProviderService,
    PayoutClockService,
    PayoutsProcessor,
    PayoutClockProcessor,
    StripePayoutEventsHandler,
  ],
  exports: [AvailableEntriesRepository],
})
export class PayoutsModule {}
