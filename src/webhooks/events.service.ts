import { Injectable } from '@nestjs/common';
import { ApiError } from '../common/errors/api-error.js';
import { newId } from '../common/ids.js';
import { OutboxService } from '../common/outbox/outbox.service.js';
import { ListPage, toPage } from '../common/pagination/pagination.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import type { EventView, RedeliveryListView } from './dto/event.dto.js';
import { subscribesTo } from './event-type-filter.js';
import { EventsRepository } from './events.repository.js';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';
import { deliveryAttemptJob } from './webhook-delivery.service.js';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository.js';
import { presentDelivery, presentEvent } from './webhook.presenter.js';

@Injectable()
export class EventsService {
  constructor(
    private readonly events: EventsRepository,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly outbox: OutboxService,
    private readonly transactions: TransactionRunner,
  ) {}

  async list(accountId: string, limit: number, startingAfter?: string, type?: string): Promise<ListPage<EventView>> {
    return toPage(await this.events.list(accountId, limit, startingAfter, type), limit, presentEvent);
  }

  async get(accountId: string, id: string): Promise<EventView> {
    const event = await this.events.find(accountId, id);
    if (!event) throw ApiError.notFound('event', id);
    return presentEvent(event);
  }

  /** Sends the event again, once, to one endpoint or to every enabled endpoint that subscribes to it. */
  async redeliver(accountId: string, id: string, endpointId?: string): Promise<RedeliveryListView> {
    return this.transactions.run(async (manager) => {
      const event = await this.events.find(accountId, id, manager);
      if (!event) throw ApiError.notFound('event', id);
      let targets;
      if (endpointId) {
        const endpoint = await this.endpoints.find(accountId, endpointId, manager);
        if (!endpoint) throw ApiError.notFound('webhook endpoint', endpointId, 'endpoint');
        if (!endpoint.enabled) {
          throw ApiError.conflict(
            'webhook_endpoint_disabled',
            'The webhook endpoint is disabled; enable it first.',
            'endpoint',
          );
        }
        targets = [endpoint];
      } else {
        targets = (await this.endpoints.findEnabledForAccounts(manager, [accountId])).filter((endpoint) =>
          subscribesTo(endpoint.enabledEvents, event.type),
        );
      }
      if (targets.length === 0) {
        throw ApiError.badRequest(
          'no_matching_webhook_endpoint',
          `No enabled webhook endpoint subscribes to ${event.type}; name one with endpoint.`,
        );
      }
      const created = await this.deliveries.insertMany(
        manager,
        targets.map((endpoint) => ({
          id: newId('whdel'),
          accountId,
          endpointId: endpoint.id,
          eventId: event.id,
          trigger: 'redeliver' as const,
        })),
      );
      await this.outbox.enqueueMany(
        manager,
        created.map((delivery) => deliveryAttemptJob(delivery.id, 1)),
      );
      return { object: 'list', data: created.map(presentDelivery), has_more: false };
    });
  }
}
