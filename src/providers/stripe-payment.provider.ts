import { Inject, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import type {
  OnboardingAccount,
  OnboardingLink,
  PaymentProvider,
  TopUpRequest,
  TopUpResult,
} from './payment-provider.js';
import { STRIPE_CLIENT } from './stripe-client.js';
import { signStripeRefreshToken } from './stripe-onboarding-token.js';

const REFRESH_LINK_TTL_MS = 30 * 86_400_000;

/** Stripe Connect: Express connected accounts for receivers, PaymentIntents for wallet top-ups. */
@Injectable()
export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe' as const;

  constructor(
    @Inject(STRIPE_CLIENT) private readonly client: Stripe | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async createOnboardingLink(account: OnboardingAccount): Promise<OnboardingLink> {
    const stripe = this.stripe();
    let connectedAccountId = account.providerAccountId;
    if (!connectedAccountId) {
      const created = await stripe.accounts.create(
        {
          type: 'express',
          country: account.country,
          email: account.email,
          capabilities: { transfers: { requested: true } },
          metadata: { account_id: account.id },
        },
        // One connected account per account, even when the first response was lost.
        { idempotencyKey: `connect-account-${account.id}` },
      );
      connectedAccountId = created.id;
    }
    const refreshToken = signStripeRefreshToken(
      this.config.adminApiKey,
      account.id,
      new Date(Date.now() + REFRESH_LINK_TTL_MS),
    );
    const link = await stripe.accountLinks.create({
      account: connectedAccountId,
      type: 'account_onboarding',
      refresh_url: `${this.config.publicBaseUrl}/v1/onboarding/stripe/refresh/${encodeURIComponent(refreshToken)}`,
      return_url: `${this.config.publicBaseUrl}/v1/onboarding/stripe/return`,
    });
    return {
      url: link.url,
      providerAccountId: connectedAccountId,
      verified: false,
      expiresAt: new Date(link.expires_at * 1000),
    };
  }

  async createTopUp(request: TopUpRequest): Promise<TopUpResult> {
    const intent = await this.stripe().paymentIntents.create(
      {
        amount: stripeAmount(request.amountMinor),
        currency: request.currency,
        automatic_payment_methods: { enabled: true },
        metadata: { top_up_id: request.topUpId, account_id: request.accountId },
      },
      { idempotencyKey: request.idempotencyKey },
    );
    return {
      status: intent.status === 'succeeded' ? 'succeeded' : 'pending',
      providerReference: intent.id,
      clientSecret: intent.client_secret ?? null,
    };
  }

  /** What Stripe says about a connected account now (events may arrive late or out of order). */
  async connectedAccountStatus(
    connectedAccountId: string,
  ): Promise<{ detailsSubmitted: boolean; chargesEnabled: boolean; payoutsEnabled: boolean }> {
    const account = await this.stripe().accounts.retrieve(connectedAccountId);
    return {
      detailsSubmitted: account.details_submitted === true,
      chargesEnabled: account.charges_enabled === true,
      payoutsEnabled: account.payouts_enabled === true,
    };
  }

  private stripe(): Stripe {
    if (!this.client) throw new Error('Stripe is not configured: set STRIPE_SECRET_KEY.');
    return this.client;
  }
}

/**
 * The SDK takes amounts as JS numbers: whole minor units, converted exactly because they stay far below 2^53
 * (Stripe's own limit is 8 digits).
 */
function stripeAmount(amountMinor: bigint): number {
  if (amountMinor <= 0n || amountMinor > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`A Stripe amount must be a positive whole number of minor units; got ${amountMinor}.`);
  }
  return Number(amountMinor);
}
