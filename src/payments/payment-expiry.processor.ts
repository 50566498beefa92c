import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { PAYMENTS_QUEUE } from '../common/queues.js';
import { ExpirePaymentsService } from './use-cases/settle-payment/expire-payments.service.js';

const EXPIRE_JOB = 'expire-unconfirmed-payments';

/** Releases holds of payments left unconfirmed, every 5 seconds (one scheduler for all replicas). */
@Processor(PAYMENTS_QUEUE)
export class PaymentExpiryProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(PaymentExpiryProcessor.name);

  constructor(
    private readonly expire: ExpirePaymentsService,
    @InjectQueue(PAYMENTS_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(EXPIRE_JOB, { every: 5_000 }, { name: EXPIRE_JOB });
  }

  async process(): Promise<void> {
    const count = await this.expire.expireDue();
    if (count > 0) this.logger.log(`Expired ${count} payments awaiting confirmation.`);
  }
}
