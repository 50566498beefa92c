import { Inject, Injectable } from '@nestjs/common';
import { newId } from '../common/ids.js';
import { OutboxService, type OutboxJob } from '../common/outbox/outbox.service.js';
import { WEBHOOK_DELIVERIES_QUEUE } from '../common/queues.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { EventsRepository } from './events.repository.js';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';
import { WebhookDeliveryAttempt } from './webhook-delivery.entity.js';
import type { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository.js';
import { retryDelayMs } from './webhook-retry.js';
import { WebhookSender } from './webhook-sender.js';
import { signWebhook } from './webhook-signature.js';
import { presentEvent } from './webhook.presenter.js';

export interface WebhookDeliveryJob {
  deliveryId: string;
  attempt: number;
}

/** The job of one delivery attempt; its id is deterministic, so relaying it twice still sends once. */
export function deliveryAttemptJob(deliveryId: string, attempt: number, delay?: number): OutboxJob {
  const payload: WebhookDeliveryJob = { deliveryId, attempt };
  return { queue: WEBHOOK_DELIVERIES_QUEUE, name: 'deliver', jobId: `${deliveryId}-${attempt}`, payload, delay };
}

/** Every secret deliveries are signed with right now: the current one and, during a rotation, the previous. */
function signingSecrets(endpoint: WebhookEndpoint, now: Date): string[] {
  const overlap = endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now;
  return overlap ? [endpoint.secret, endpoint.previousSecret!] : [endpoint.secret];
}

/**
 * Makes one attempt of a delivery and records it. A failure schedules the next attempt through the outbox in
 * the same transaction that records this one, so the retry schedule survives restarts; 410 Gone disables the
 * endpoint; a redelivery requested by hand is tried once.
 */
@Injectable()
export class WebhookDeliveryService {
  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly events: EventsRepository,
    private readonly sender: WebhookSender,
    private readonly outbox: OutboxService,
    private readonly transactions: TransactionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async attempt(job: WebhookDeliveryJob): Promise<void> {
    const delivery = await this.deliveries.findById(job.deliveryId);
    // A job for an attempt that was already recorded (a duplicate or a stale retry) has nothing left to do.
    if (!delivery || delivery.status !== 'pending' || delivery.attempts !== job.attempt - 1) return;
    const [endpoint, event] = await Promise.all([
      this.endpoints.findById(delivery.endpointId),
      this.events.findById(delivery.eventId),
    ]);
    if (!endpoint || !event) return;
    if (!endpoint.enabled) {
      await this.transactions.run(async (manager) => {
        const locked = await this.deliveries.lock(manager, delivery.id);
        if (locked?.status !== 'pending') return;
        locked.status = 'canceled';
        locked.nextAttemptAt = null;
        await this.deliveries.save(manager, locked);
      });
      return;
    }

    const now = new Date();
    const timestamp = Math.floor(now.getTime() / 1000);
    const body = JSON.stringify(presentEvent(event));
    const response = await this.sender.send({
      url: endpoint.url,
      body,
      headers: {
        'webhook-id': event.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signingSecrets(endpoint, now)
          .map((secret) => signWebhook(secret, event.id, timestamp, body))
          .join(' '),
      },
    });
    const succeeded = response.statusCode !== null && response.statusCode >= 200 && response.statusCode < 300;
    const gone = response.statusCode === 410;
    const retryIn =
      succeeded || gone || delivery.trigger === 'redeliver'
        ? null
        : retryDelayMs(this.config.webhookRetrySchedule, job.attempt);

    await this.transactions.run(async (manager) => {
      const locked = await this.deliveries.lock(manager, delivery.id);
      if (!locked || locked.status !== 'pending' || locked.attempts !== job.attempt - 1) return;
      await this.deliveries.insertAttempt(
        manager,
        Object.assign(new WebhookDeliveryAttempt(), {
          id: newId('whatt'),
          accountId: locked.accountId,
          deliveryId: locked.id,
          endpointId: endpoint.id,
          eventId: event.id,
          eventType: event.type,
          attempt: job.attempt,
          url: endpoint.url,
          statusCode: response.statusCode,
          durationMs: response.durationMs,
          error: response.error ?? (gone ? 'The endpoint answered 410 Gone; it was disabled.' : null),
          succeeded,
          createdAt: new Date(),
        } satisfies WebhookDeliveryAttempt),
      );
      locked.attempts = job.attempt;
      locked.status = succeeded ? 'succeeded' : retryIn === null ? 'failed' : 'pending';
      locked.nextAttemptAt = retryIn === null ? null : new Date(Date.now() + retryIn);
      await this.deliveries.save(manager, locked);
      if (retryIn !== null) {
        await this.outbox.enqueue(manager, deliveryAttemptJob(locked.id, job.attempt + 1, retryIn));
      }
      if (gone) await this.endpoints.disable(manager, endpoint.id, 'endpoint_gone');
    });
  }
}
