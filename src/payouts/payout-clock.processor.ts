import { Inject, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { PayoutClockService } from './payout-clock.service.js';
import { PAYOUT_SCHEDULER_QUEUE, PAYOUT_TICK_JOB, SETTLEMENT_INGEST_JOB } from './payouts.queues.js';
import { SettleFundsService } from './use-cases/settle-funds/settle-funds.service.js';

const SCHEDULER_ID = 'payout-clock';
const INGEST_SCHEDULER_ID = 'settlement-ingest';
/**
 * New movements of pending balances are copied into settlement items this often, not only at each tick: the
 * work then comes in small, even pieces rather than a minute's worth at once (see SettleFundsService.ingest).
 */
const INGEST_EVERY_MS = 5_000;
/** How often (at most) a worker checks that the repeatable tick still exists (Redis may have lost it). */
const ENSURE_AT_MOST_EVERY_MS = 30_000;

/**
 * The repeatable payout tick (PAYOUT_TICK_SECONDS); ticks that find another one running are skipped. Between
 * ticks, the settlement ingest runs every INGEST_EVERY_MS (both are off when PAYOUT_TICK_SECONDS is 0).
 */
@Processor(PAYOUT_SCHEDULER_QUEUE)
export class PayoutClockProcessor extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PayoutClockProcessor.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly clock: PayoutClockService,
    private readonly settlement: SettleFundsService,
    @InjectQueue(PAYOUT_SCHEDULER_QUEUE) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.appRole === 'api' || this.config.payoutTickSeconds === 0) return;
    await this.ensureScheduler();
    this.timer = setInterval(
      () => {
        this.ensureScheduler().catch((error: unknown) =>
          this.logger.warn({ msg: 'Could not check the payout tick scheduler.', error: String(error) }),
        );
      },
      Math.min(ENSURE_AT_MOST_EVERY_MS, this.config.payoutTickSeconds * 5000),
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async process(job: Job): Promise<void> {
    if (job.name === PAYOUT_TICK_JOB) await this.clock.tick(false);
    else if (job.name === SETTLEMENT_INGEST_JOB) await this.settlement.ingest();
    else throw new Error(`The ${PAYOUT_SCHEDULER_QUEUE} queue has no handler for "${job.name}".`);
  }

  private async ensureScheduler(): Promise<void> {
    const schedulers = [
      { id: SCHEDULER_ID, every: this.config.payoutTickSeconds * 1000, name: PAYOUT_TICK_JOB },
      { id: INGEST_SCHEDULER_ID, every: INGEST_EVERY_MS, name: SETTLEMENT_INGEST_JOB },
    ];
    for (const { id, every, name } of schedulers) {
      if (await this.queue.getJobScheduler(id)) continue;
      await this.queue.upsertJobScheduler(id, { every }, { name, opts: { removeOnComplete: 100, removeOnFail: 100 } });
    }
  }
}
