import { Inject, Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import type { ProviderEvent } from './provider-event.js';

/** Checks Stripe-Signature against the exact bytes received, with the SDK and STRIPE_WEBHOOK_SECRET. */
@Injectable()
export class StripeWebhookVerifier {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.config.stripeWebhookSecret !== null;
  }

  /** The event, or null when the signature (or the timestamp it covers) does not check out. */
  verify(rawBody: Buffer, signature: string | undefined): ProviderEvent | null {
    const secret = this.config.stripeWebhookSecret;
    if (!secret || !signature) return null;
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(rawBody, signature, secret);
    } catch {
      return null;
    }
    return {
      provider: 'stripe',
      id: event.id,
      type: event.type,
      providerAccountId: event.account ?? null,
      payload: event as unknown as Record<string, unknown>,
    };
  }
}
