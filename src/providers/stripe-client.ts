import Stripe from 'stripe';
import type { AppConfig } from '../config/app-config.js';

export const STRIPE_CLIENT = Symbol('STRIPE_CLIENT');

/** The Stripe SDK client, or null when STRIPE_SECRET_KEY is not set. STRIPE_API_BASE points it elsewhere (tests). */
export function createStripeClient(config: AppConfig): Stripe | null {
  if (!config.stripeSecretKey) return null;
  const base = config.stripeApiBase ? new URL(config.stripeApiBase) : null;
  return new Stripe(config.stripeSecretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    appInfo: { name: 'ai-receive' },
    ...(base && {
      host: base.hostname,
      port: base.port || (base.protocol === 'http:' ? 80 : 443),
      protocol: base.protocol === 'http:' ? 'http' : 'https',
    }),
  });
}
