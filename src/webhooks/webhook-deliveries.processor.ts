import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { WEBHOOK_DELIVERIES_QUEUE } from '../common/queues.js';
import { WebhookDeliveryService, type WebhookDeliveryJob } from './webhook-delivery.service.js';

/** Deliveries wait on the network, so one process runs many at once. */
@Processor(WEBHOOK_DELIVERIES_QUEUE, { concurrency: 20 })
export class WebhookDeliveriesProcessor extends WorkerHost {
  constructor(private readonly delivery: WebhookDeliveryService) {
    super();
  }

  process(job: Job<WebhookDeliveryJob>): Promise<void> {
    return this.delivery.attempt(job.data);
  }
}
