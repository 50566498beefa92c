import Stripe from 'stripe';
import type { AppConfig } from '../config/app-config.js';

export const STRIPE_CLIENT = Symbol('STRIPE_CLIENT');

/**
 * The Stripe SDK client, or null when STRIPE_SECRET_KEY is not set. STRIPE_API_BASE points it elsewhere (tests).
 * The SDK retries a connection error, a timeout (STRIPE_TIMEOUT_MS), a 409 or a 5xx twice with the same
 * idempotency key before the error reaches the payout worker, whose job BullMQ then retries with backoff.
 */
export function createStripeClient(config: AppConfig): Stripe | null {
  if (!config.stripeSecretKey) return null;
  const base = config.stripeApiBase ? new URL(config.stripeApiBase) : null;
  return new Stripe(config.stripeSecretKey, {
    maxNetworkRetries: 2,
    timeout: config.stripeTimeoutMs,
    telemetry: false,
    appInfo: { name: 'ai-receive' },
    ...(base && {
      host: base.hostname,
      port: base.port || (base.protocol === 'http:' ? 80 : 443),
      protocol: base.protocol === 'http:' ? 'http' : 'https',
    }),
  });
}
