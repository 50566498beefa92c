import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { PROVIDER_EVENTS_QUEUE } from '../common/queues.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { ProviderEventsService, type ProviderEventJob } from './provider-events.service.js';

/**
 * Processes Stripe events only where Stripe is configured: handlers call the provider the process is set up
 * for, so a process on the local rail leaves these jobs to one that runs Stripe. One event at a time, in the order
 * received: handlers tolerate any order (Stripe promises none), but two events about one object applied at once
 * could race, e.g. a late `payout.paid` overtaking the `payout.failed` sent before it.
 */
@Processor(PROVIDER_EVENTS_QUEUE, { autorun: false, concurrency: 1 })
export class ProviderEventsProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(ProviderEventsProcessor.name);

  constructor(
    private readonly providerEvents: ProviderEventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    const stripeConfigured = this.config.paymentProvider === 'stripe' && this.config.stripeWebhookSecret !== null;
    if (this.config.appRole === 'api' || !stripeConfigured) return;
    this.worker.run().catch((error: unknown) => {
      this.logger.error({ msg: 'The provider events worker stopped.', error: String(error) });
    });
  }

  process(job: Job<ProviderEventJob>): Promise<void> {
    return this.providerEvents.process(job.data);
  }
}
