import { Inject, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { PayoutClockService } from './payout-clock.service.js';
import { PAYOUT_SCHEDULER_QUEUE, PAYOUT_TICK_JOB } from './payouts.queues.js';

const SCHEDULER_ID = 'payout-clock';
/** How often (at most) a worker checks that the repeatable tick still exists (Redis may have lost it). */
const ENSURE_AT_MOST_EVERY_MS = 30_000;

/** The repeatable payout tick (PAYOUT_TICK_SECONDS); ticks that find another one running are skipped. */
@Processor(PAYOUT_SCHEDULER_QUEUE)
export class PayoutClockProcessor extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PayoutClockProcessor.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly clock: PayoutClockService,
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
    if (job.name !== PAYOUT_TICK_JOB)
      throw new Error(`The ${PAYOUT_SCHEDULER_QUEUE} queue has no handler for "${job.name}".`);
    await this.clock.tick(false);
  }

  private async ensureScheduler(): Promise<void> {
    if (await this.queue.getJobScheduler(SCHEDULER_ID)) return;
    await this.queue.upsertJobScheduler(
      SCHEDULER_ID,
      { every: this.config.payoutTickSeconds * 1000 },
      { name: PAYOUT_TICK_JOB, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }
}
