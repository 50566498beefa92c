import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock.js';
import { OutboxService } from '../common/outbox/outbox.service.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { PAYMENT_PROVIDER } from '../providers/payment-provider.js';
import type { PaymentProvider } from '../providers/payment-provider.js';
import { PayoutsRepository } from './payouts.repository.js';
import { PAYOUTS_QUEUE, resubmitPayoutJobId, SUBMIT_PAYOUT_JOB } from './payouts.queues.js';
import { ApplyPayoutUpdateService } from './use-cases/apply-payout-update/apply-payout-update.service.js';
import { RunPayoutScheduleService } from './use-cases/run-payout-schedule/run-payout-schedule.service.js';
import { SettleFundsService } from './use-cases/settle-funds/settle-funds.service.js';

/** Any constant unique to this lock; pg advisory locks are database-wide. */
const TICK_LOCK = 4_180_021;
const UPDATE_BATCH = 500;

export interface PayoutTickSummary {
  at: Date;
  railUpdates: number;
  settlementItems: number;
  settlements: number;
  reservesReleased: number;
  resubmitted: number;
  payoutsCreated: number;
}

/**
 * One tick of payout time, run by the repeatable `payout-tick` job (and on demand by the operator). In order:
 * rail updates (the local bank's processing), settlement of funds whose delay has passed and reserve releases,
 * re-submission of payouts whose job was lost, then today's scheduled payouts. Ticks never overlap: a Postgres
 * advisory lock makes a second one wait (on demand) or skip (repeatable job).
 */
@Injectable()
export class PayoutClockService {
  private readonly logger = new Logger(PayoutClockService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly settle: SettleFundsService,
    private readonly schedule: RunPayoutScheduleService,
    private readonly apply: ApplyPayoutUpdateService,
    private readonly payouts: PayoutsRepository,
    private readonly outbox: OutboxService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs a tick; with `wait` false returns null at once when another tick is running. */
  async tick(wait: boolean): Promise<PayoutTickSummary | null> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      if (wait) {
        await runner.query('SELECT pg_advisory_lock($1)', [TICK_LOCK]);
      } else {
        const [row] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [TICK_LOCK])) as Array<{
          locked: boolean;
        }>;
        if (!row.locked) return null;
      }
      try {
        return await this.runLocked();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [TICK_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  private async runLocked(): Promise<PayoutTickSummary> {
    const railUpdates = await this.applyRailUpdates();
    const settlement = await this.settle.run();
    const resubmitted = await this.resubmitStuckPayouts();
    const payoutsCreated = await this.schedule.run();
    const summary = {
      at: this.clock.now(),
      railUpdates,
      settlementItems: settlement.ingested,
      settlements: settlement.settled,
      reservesReleased: settlement.reservesReleased,
      resubmitted,
      payoutsCreated,
    };
    if (railUpdates + settlement.settled + resubmitted + payoutsCreated > 0) {
      this.logger.log({ msg: 'Payout tick done.', ...summary });
    }
    return summary;
  }

  private async applyRailUpdates(): Promise<number> {
    let applied = 0;
    for (;;) {
      const updates = await this.provider.pollPayoutUpdates(UPDATE_BATCH);
      for (const update of updates) {
        await this.apply.apply(
          this.provider.name,
          update.payoutId
            ? { payoutId: update.payoutId }
            : { providerPayoutId: update.providerPayoutId, providerTransferId: update.providerTransferId },
          {
            status: update.status,
            returned: update.returned,
            providerPayoutId: update.providerPayoutId,
            providerTransferId: update.providerTransferId,
            failureCode: update.failureCode,
            failureMessage: update.failureMessage,
            occurredAt: update.occurredAt,
          },
        );
        await this.provider.acknowledgePayoutUpdate(update);
        applied += 1;
      }
      if (updates.length < UPDATE_BATCH) return applied;
    }
  }

  /**
   * A pending payout whose job vanished (Redis lost its data) would wait forever: hand it to the queue again under
   * a fresh job id. The submission is idempotent, so a payout whose first job still exists is merely checked twice.
   */
  private async resubmitStuckPayouts(): Promise<number> {
    const now = this.clock.now();
    const stuckAfterMs = this.config.payoutResubmitAfterSeconds * 1000;
    const ids = await this.payouts.stalePending(this.provider.name, new Date(now.getTime() - stuckAfterMs), 1000);
    if (ids.length === 0) return 0;
    const window = Math.floor(now.getTime() / stuckAfterMs);
    await this.transactions.run(async (manager) => {
      await this.outbox.enqueueMany(
        manager,
        ids.map((id) => ({
          queue: PAYOUTS_QUEUE,
          name: SUBMIT_PAYOUT_JOB,
          jobId: resubmitPayoutJobId(id, window),
          payload: { payoutId: id },
        })),
      );
      await this.payouts.touch(manager, ids, now);
    });
    return ids.length;
  }
}
