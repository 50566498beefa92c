import { Injectable, OnModuleInit } from '@nestjs/common';
import { eventObject, type ProviderEvent } from '../providers/provider-event.js';
import { ProviderEventHandlers } from '../webhooks/provider-event-handlers.js';
import { CompleteTopUpService, type TopUpOutcome } from './use-cases/complete-top-up/complete-top-up.service.js';

interface PaymentIntentObject {
  id?: string;
  metadata?: Record<string, string>;
  last_payment_error?: { code?: string; message?: string } | null;
}

/**
 * Stripe confirms top-ups through `payment_intent.succeeded` (credit the wallet, once however often it is
 * delivered) and `payment_intent.payment_failed` (credit nothing). PaymentIntents that are not top-ups are
 * ignored.
 */
@Injectable()
export class TopUpProviderEvents implements OnModuleInit {
  constructor(
    private readonly handlers: ProviderEventHandlers,
    private readonly complete: CompleteTopUpService,
  ) {}

  onModuleInit(): void {
    this.handlers.register('payment_intent.succeeded', (event) => this.apply(event, { status: 'succeeded' }));
    this.handlers.register('payment_intent.payment_failed', (event) => {
      const error = (eventObject(event) as PaymentIntentObject).last_payment_error;
      return this.apply(event, {
        status: 'failed',
        code: error?.code ?? 'payment_failed',
        message: error?.message ?? 'The payment provider could not collect the payment.',
      });
    });
  }

  private async apply(event: ProviderEvent, outcome: TopUpOutcome): Promise<void> {
    const intent = eventObject(event) as PaymentIntentObject;
    if (!intent.id) return;
    const topUpId = intent.metadata?.top_up_id;
    await this.complete.complete(
      topUpId ? { topUpId } : { provider: event.provider, providerPaymentId: intent.id },
      outcome,
      undefined,
      intent.id,
    );
  }
}
