import { Global, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PROVIDER_EVENTS_QUEUE, WEBHOOK_DELIVERIES_QUEUE } from '../common/queues.js';
import { EventRecord } from './event.entity.js';
import { EventFanOut } from './event-fan-out.js';
import { EventsController } from './events.controller.js';
import { EventsRepository } from './events.repository.js';
import { EventsService } from './events.service.js';
import { ProviderEventRecord } from './provider-event.entity.js';
import { ProviderEventHandlers } from './provider-event-handlers.js';
import { ProviderEventsProcessor } from './provider-events.processor.js';
import { ProviderEventsRepository } from './provider-events.repository.js';
import { ProviderEventsService } from './provider-events.service.js';
import { ProviderWebhooksController } from './provider-webhooks.controller.js';
import { WebhookDeliveriesProcessor } from './webhook-deliveries.processor.js';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';
import { WebhookDelivery, WebhookDeliveryAttempt } from './webhook-delivery.entity.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhookEndpointsController } from './webhook-endpoints.controller.js';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { WebhookSender } from './webhook-sender.js';

const KEEP_JOBS = { removeOnComplete: { age: 86_400, count: 10_000 }, removeOnFail: { age: 7 * 86_400 } };

/**
 * Outbound events (list, signed delivery to endpoints, retries, redelivery) and inbound provider webhooks.
 * Global so that any module can register what it does with provider events (ProviderEventHandlers).
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([
      EventRecord,
      WebhookEndpoint,
      WebhookDelivery,
      WebhookDeliveryAttempt,
      ProviderEventRecord,
    ]),
    BullModule.registerQueue(
      // A delivery job records its own HTTP failures and schedules the next attempt; BullMQ retries cover
      // only the process failing (database unreachable), briefly.
      {
        name: WEBHOOK_DELIVERIES_QUEUE,
        defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, ...KEEP_JOBS },
      },
      // Handlers may wait on the provider or on another event (a payout before its balance); keep trying for hours.
      {
        name: PROVIDER_EVENTS_QUEUE,
        defaultJobOptions: { attempts: 15, backoff: { type: 'exponential', delay: 2000 }, ...KEEP_JOBS },
      },
    ),
  ],
  controllers: [EventsController, WebhookEndpointsController, ProviderWebhooksController],
  providers: [
    EventsRepository,
    EventsService,
    EventFanOut,
    WebhookEndpointsRepository,
    WebhookEndpointsService,
    WebhookDeliveriesRepository,
    WebhookDeliveryService,
    WebhookDeliveriesProcessor,
    WebhookSender,
    ProviderEventHandlers,
    ProviderEventsRepository,
    ProviderEventsService,
    ProviderEventsProcessor,
  ],
  exports: [ProviderEventHandlers],
})
export class WebhooksModule {}
