import { Injectable, OnModuleInit } from '@nestjs/common';
import { newId } from '../common/ids.js';
import { OutboxRelay } from '../common/outbox/outbox-relay.js';
import { OutboxService } from '../common/outbox/outbox.service.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { subscribesTo } from './event-type-filter.js';
import { EventsRepository } from './events.repository.js';
import { WebhookDeliveriesRepository, type NewWebhookDelivery } from './webhook-deliveries.repository.js';
import { deliveryAttemptJob } from './webhook-delivery.service.js';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository.js';

const BATCH_SIZE = 500;
/** Queue rows deleted between two vacuums of the queue table (see vacuumQueueWhenDue). */
const VACUUM_EVERY_DELETIONS = 20_000;

/**
 * The relay stage that turns committed events into deliveries: one per enabled endpoint of the event's account
 * that subscribes to its type, each with its first attempt in the outbox, then marks the events dispatched.
 */
@Injectable()
export class EventFanOut implements OnModuleInit {
  private deletedSinceVacuum = 0;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly events: EventsRepository,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly outbox: OutboxService,
    private readonly transactions: TransactionRunner,
  ) {}

  onModuleInit(): void {
    this.relay.addStage('webhook-event-fan-out', () => this.fanOut());
  }

  /** One batch; true when the batch was full and more events are probably waiting. */
  async fanOut(): Promise<boolean> {
    const more = await this.transactions.run(async (manager) => {
      const events = await this.events.claimUndispatched(manager, BATCH_SIZE);
      if (events.length === 0) return false;
      const endpoints = await this.endpoints.findEnabledForAccounts(manager, [
        ...new Set(events.map((event) => event.accountId)),
      ]);
      const planned: NewWebhookDelivery[] = [];
      for (const event of events) {
        for (const endpoint of endpoints) {
          if (endpoint.accountId !== event.accountId || !subscribesTo(endpoint.enabledEvents, event.type)) continue;
          // The relay runs shortly after commit: an endpoint created in between must not get the older event.
          if (endpoint.createdAt > event.createdAt) continue;
          planned.push({
            id: newId('whdel'),
            accountId: event.accountId,
            endpointId: endpoint.id,
            eventId: event.id,
            trigger: 'event',
          });
        }
      }
      const created = await this.deliveries.insertMany(manager, planned);
      await this.outbox.enqueueMany(
        manager,
        created.map((delivery) => deliveryAttemptJob(delivery.id, 1)),
      );
      await this.events.markDispatched(
        manager,
        events.map((event) => event.id),
      );
      this.deletedSinceVacuum += events.length;
      return events.length === BATCH_SIZE;
    });
    await this.vacuumQueueWhenDue();
    return more;
  }

  /**
   * The queue's rows are deleted as fast as they are added, and every claim walks the index from its oldest end:
   * until a vacuum clears them, the dead rows there make each claim slower than the last. Autovacuum may be off
   * or slow to come, so the fan-out vacuums the (small) table itself after every VACUUM_EVERY_DELETIONS rows.
   */
  private async vacuumQueueWhenDue(): Promise<void> {
    if (this.deletedSinceVacuum < VACUUM_EVERY_DELETIONS) return;
    this.deletedSinceVacuum = 0;
    await this.events.vacuumDispatchQueue();
  }
}
