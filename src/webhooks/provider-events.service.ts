import { Injectable, Logger } from '@nestjs/common';
import { ApiError } from '../common/errors/api-error.js';
import { OutboxService, type OutboxJob } from '../common/outbox/outbox.service.js';
import { PROVIDER_EVENTS_QUEUE } from '../common/queues.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import type { ProviderEvent } from '../providers/provider-event.js';
import { StripeWebhookVerifier } from '../providers/stripe-webhook-verifier.js';
import type { ProviderEventReceiptView } from './dto/webhook-endpoint.dto.js';
import { ProviderEventHandlers } from './provider-event-handlers.js';
import { ProviderEventsRepository } from './provider-events.repository.js';

export interface ProviderEventJob {
  provider: ProviderEvent['provider'];
  id: string;
}

/** A duplicate of an event still unapplied after this long is taken as a request to try it again. */
const REDRIVE_AFTER_MS = 10 * 60_000;

function processJob(event: ProviderEvent, jobId: string): OutboxJob {
  const payload: ProviderEventJob = { provider: event.provider, id: event.id };
  return { queue: PROVIDER_EVENTS_QUEUE, name: 'process', jobId, payload };
}

/**
 * Inbound provider webhooks: verified against the raw body, stored once by event id together with the job that
 * processes them (outbox), answered at once; then applied from the queue by the registered handlers.
 */
@Injectable()
export class ProviderEventsService {
  private readonly logger = new Logger(ProviderEventsService.name);

  constructor(
    private readonly stripeVerifier: StripeWebhookVerifier,
    private readonly repository: ProviderEventsRepository,
    private readonly handlers: ProviderEventHandlers,
    private readonly outbox: OutboxService,
    private readonly transactions: TransactionRunner,
  ) {}

  async receiveStripe(rawBody: Buffer, signature: string | undefined): Promise<ProviderEventReceiptView> {
    if (!this.stripeVerifier.enabled) {
      throw new ApiError(
        404,
        'invalid_request_error',
        'stripe_webhooks_not_configured',
        'Stripe webhooks are not enabled on this platform (STRIPE_WEBHOOK_SECRET is not set).',
      );
    }
    const event = this.stripeVerifier.verify(rawBody, signature);
    if (!event) {
      throw ApiError.badRequest(
        'webhook_signature_invalid',
        'The Stripe-Signature header does not match the body for the configured webhook secret.',
        'Stripe-Signature',
      );
    }
    const stored = await this.transactions.run(async (manager) => {
      if (await this.repository.insertOnce(manager, event)) {
        await this.outbox.enqueue(manager, processJob(event, `${event.provider}-${event.id}`));
        return true;
      }
      // Resending an event that was never applied (its job gave up) from the provider's dashboard retries it.
      const known = await this.repository.find(event.provider, event.id, manager);
      if (known && !known.processedAt && known.receivedAt.getTime() < Date.now() - REDRIVE_AFTER_MS) {
        await this.outbox.enqueue(manager, processJob(event, `${event.provider}-${event.id}-${Date.now()}`));
      }
      return false;
    });
    return { id: event.id, object: 'provider_event_receipt', duplicate: !stored };
  }

  /** Applies a stored event once: handlers are idempotent, and a processed event is never handled again. */
  async process(job: ProviderEventJob): Promise<void> {
    const record = await this.repository.find(job.provider, job.id);
    if (!record || record.processedAt) return;
    const event: ProviderEvent = {
      provider: job.provider,
      id: record.id,
      type: record.type,
      providerAccountId: record.providerAccountId,
      payload: record.payload,
    };
    const handlers = this.handlers.handlersFor(event.type);
    if (handlers.length === 0) this.logger.debug({ msg: `No handler for ${event.provider} ${event.type}; ignored.` });
    for (const handle of handlers) await handle(event);
    await this.repository.markProcessed(job.provider, job.id);
  }
}
