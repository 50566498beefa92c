import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { MANDATES_QUEUE } from '../common/queues.js';
import { ExpireMandatesService } from './use-cases/expire-mandates/expire-mandates.service.js';

const EXPIRE_JOB = 'expire-mandates';

/** Sweeps expired mandates every 30 seconds (one scheduler for all replicas: the id is fixed). */
@Processor(MANDATES_QUEUE)
export class MandateExpiryProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(MandateExpiryProcessor.name);

  constructor(
    private readonly expire: ExpireMandatesService,
    @InjectQueue(MANDATES_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(EXPIRE_JOB, { every: 30_000 }, { name: EXPIRE_JOB });
  }

  async process(): Promise<void> {
    const count = await this.expire.expireDue();
    if (count > 0) this.logger.log(`Expired ${count} mandates.`);
  }
}
