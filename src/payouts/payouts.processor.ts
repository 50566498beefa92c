import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { PAYOUTS_QUEUE, REVERSE_PAYOUT_TRANSFER_JOB, SUBMIT_PAYOUT_JOB } from './payouts.queues.js';
import { SubmitPayoutService } from './use-cases/submit-payout/submit-payout.service.js';

/**
 * Calls the provider for payouts. The worker starts only once its concurrency and the provider's rate limit
 * (a BullMQ limiter, shared by every worker process through Redis) are set from the configuration. The
 * concurrency is high on purpose: a job mostly waits for its micro-batch (SubmitPayoutService), so many jobs
 * in flight make full batches, and a few batches in flight keep the database busy.
 */
@Processor(PAYOUTS_QUEUE, { autorun: false })
export class PayoutsProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(PayoutsProcessor.name);

  constructor(
    private readonly submit: SubmitPayoutService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    if (this.config.appRole === 'api') return;
    this.worker.concurrency = this.config.payoutWorkerConcurrency;
    this.worker.opts.limiter = { max: this.config.payoutRateLimitPerSecond, duration: 1000 };
    this.worker.run().catch((error: unknown) => {
      this.logger.error({ msg: 'The payouts worker stopped on an error.', error: String(error) });
    });
  }

  async process(job: Job<{ payoutId: string }>): Promise<void> {
    switch (job.name) {
      case SUBMIT_PAYOUT_JOB:
        return this.submit.submit(job.data.payoutId);
      case REVERSE_PAYOUT_TRANSFER_JOB:
        return this.submit.reverseTransfer(job.data.payoutId);
      default:
        throw new Error(`The ${PAYOUTS_QUEUE} queue has no handler for job "${job.name}".`);
    }
  }
}
