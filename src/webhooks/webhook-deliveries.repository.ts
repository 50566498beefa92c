import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, LessThan, Repository } from 'typeorm';
import { WebhookDelivery, WebhookDeliveryAttempt } from './webhook-delivery.entity.js';

export interface NewWebhookDelivery {
  id: string;
  accountId: string;
  endpointId: string;
  eventId: string;
  trigger: WebhookDelivery['trigger'];
}

@Injectable()
export class WebhookDeliveriesRepository {
  constructor(
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    @InjectRepository(WebhookDeliveryAttempt) private readonly attempts: Repository<WebhookDeliveryAttempt>,
  ) {}

  /** Inserts pending deliveries; an automatic one that already exists for the event and endpoint is skipped. */
  async insertMany(manager: EntityManager, deliveries: NewWebhookDelivery[]): Promise<WebhookDelivery[]> {
    if (deliveries.length === 0) return [];
    const rows: Array<{ id: string; created_at: Date }> = await manager.query(
      `INSERT INTO webhook_deliveries (id, account_id, endpoint_id, event_id, trigger, status)
       SELECT i, a, e, ev, t, 'pending'
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS d (i, a, e, ev, t)
       ON CONFLICT (event_id, endpoint_id) WHERE trigger = 'event' DO NOTHING
       RETURNING id, created_at`,
      [
        deliveries.map((d) => d.id),
        deliveries.map((d) => d.accountId),
        deliveries.map((d) => d.endpointId),
        deliveries.map((d) => d.eventId),
        deliveries.map((d) => d.trigger),
      ],
    );
    const created = new Map(rows.map((row) => [row.id, row.created_at]));
    return deliveries
      .filter((d) => created.has(d.id))
      .map((d) =>
        Object.assign(new WebhookDelivery(), {
          ...d,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: null,
          createdAt: created.get(d.id)!,
          updatedAt: created.get(d.id)!,
        } satisfies WebhookDelivery),
      );
  }

  findById(id: string): Promise<WebhookDelivery | null> {
    return this.deliveries.findOneBy({ id });
  }

  lock(manager: EntityManager, id: string): Promise<WebhookDelivery | null> {
    return manager.findOne(WebhookDelivery, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async save(manager: EntityManager, delivery: WebhookDelivery): Promise<void> {
    delivery.updatedAt = new Date();
    await manager.save(WebhookDelivery, delivery);
  }

  async insertAttempt(manager: EntityManager, attempt: WebhookDeliveryAttempt): Promise<void> {
    await manager.insert(WebhookDeliveryAttempt, attempt);
  }

  /** Tenant-scoped by the endpoint, which the caller found for the account. Newest first. */
  listAttempts(endpointId: string, limit: number, startingAfter?: string, eventId?: string) {
    const where: FindOptionsWhere<WebhookDeliveryAttempt> = { endpointId };
    if (startingAfter) where.id = LessThan(startingAfter);
    if (eventId) where.eventId = eventId;
    return this.attempts.find({ where, order: { id: 'DESC' }, take: limit + 1 });
  }
}
