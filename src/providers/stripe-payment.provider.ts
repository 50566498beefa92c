import { Inject, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { minorUnitsToNanos } from '../../libs/money/src/index.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import type {
  OnboardingAccount,
  OnboardingLink,
  PaymentProvider,
  TopUpRequest,
  TopUpResult,
} from './payment-provider.js';
import {
  PayoutRequest,
  PayoutResult,
  PayoutUpdate,
  RailPayoutStatus,
  RailRejectedError,
  RailRetryableError,
  RailStatementLine,
  StatementQuery,
  TransferReversalRequest,
} from './payout-rail.js';
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

  /**
   * A payout on Stripe Connect: a transfer from the platform to the connected account, then a payout from the
   * connected account to its external account. Each step first looks for what an earlier attempt already did
   * (the transfer by its transfer_group, the payout by its metadata), and is then created with an idempotency
   * key derived from the payout id: a worker killed between Stripe's answer and our commit never transfers twice,
   * even after Stripe's 24-hour idempotency window.
   */
  /** One payout after the other: each is two or three Stripe calls, and the limiter paces the jobs anyway. */
  async createPayouts(requests: PayoutRequest[]): Promise<Array<PayoutResult | Error>> {
    const answers: Array<PayoutResult | Error> = [];
    for (const request of requests) {
      try {
        answers.push(await this.createPayout(request));
      } catch (error) {
        answers.push(error instanceof Error ? error : new Error(String(error)));
      }
    }
    return answers;
  }

  private async createPayout(request: PayoutRequest): Promise<PayoutResult> {
    const connected = request.providerAccountId;
    if (!connected)
      throw new RailRejectedError('account_not_connected', 'The account has no Stripe connected account.');
    const transfer = await this.stripeCall(async () => {
      const found = await this.stripe().transfers.list({ transfer_group: request.payoutId, limit: 1 });
      if (found.data[0]) return found.data[0];
      return this.stripe().transfers.create(
        {
          amount: stripeAmount(request.amountMinor),
          currency: request.currency,
          destination: connected,
          transfer_group: request.payoutId,
          metadata: { payout_id: request.payoutId, account_id: request.accountId },
        },
        { idempotencyKey: `${request.idempotencyKey}-transfer` },
      );
    });
    const payout = await this.stripeCall(async () => {
      const existing = await this.findConnectedPayout(connected, request.payoutId);
      if (existing) return existing;
      return this.stripe().payouts.create(
        {
          amount: stripeAmount(request.amountMinor),
          currency: request.currency,
          ...(request.destination?.type === 'external_account' && { destination: request.destination.externalAccount }),
          metadata: { payout_id: request.payoutId, account_id: request.accountId },
        },
        { stripeAccount: connected, idempotencyKey: `${request.idempotencyKey}-payout` },
      );
    }, transfer.id);
    return {
      providerPayoutId: payout.id,
      providerTransferId: transfer.id,
      status: railStatus(payout.status),
      failureCode: payout.failure_code ?? null,
      failureMessage: payout.failure_message ?? null,
      arrivalDate: payout.arrival_date ? new Date(payout.arrival_date * 1000) : null,
    };
  }

  /** Pulls a failed payout's funds back from the connected account, unless an earlier attempt already did. */
  async reversePayoutTransfer(request: TransferReversalRequest): Promise<void> {
    await this.stripeCall(async () => {
      const transfer = await this.stripe().transfers.retrieve(request.providerTransferId);
      if (transfer.amount_reversed >= stripeAmount(request.amountMinor)) return;
      await this.stripe().transfers.createReversal(
        request.providerTransferId,
        {
          amount: stripeAmount(request.amountMinor) - transfer.amount_reversed,
          metadata: { payout_id: request.payoutId },
        },
        { idempotencyKey: request.idempotencyKey },
      );
    });
  }

  /** Stripe reports payout changes by webhook (payout.* and transfer.reversed), not by polling. */
  async pollPayoutUpdates(): Promise<PayoutUpdate[]> {
    return [];
  }

  async acknowledgePayoutUpdate(): Promise<void> {}

  /**
   * Stripe's own record of each payout: the transfer that funded it (and its reversal), the payout's balance
   * transaction and, when it failed, the failure balance transaction that returned the funds.
   */
  async payoutStatement(query: StatementQuery): Promise<RailStatementLine[]> {
    const lines: RailStatementLine[] = [];
    for (const item of query.payouts) {
      const currencyLines = await this.stripeCall(async () => {
        const found: RailStatementLine[] = [];
        if (item.providerTransferId) {
          const transfer = await this.stripe().transfers.retrieve(item.providerTransferId);
          const at = new Date(transfer.created * 1000);
          const base = { reference: transfer.id, payoutId: item.payoutId, currency: transfer.currency, occurredAt: at };
          found.push({ ...base, type: 'transfer', amount: minorToNanos(transfer.amount, transfer.currency) });
          if (transfer.amount_reversed > 0) {
            found.push({
              ...base,
              type: 'transfer_reversal',
              amount: minorToNanos(transfer.amount_reversed, transfer.currency),
            });
          }
        }
        if (item.providerPayoutId && item.providerAccountId) {
          const payout = await this.stripe().payouts.retrieve(
            item.providerPayoutId,
            {},
            { stripeAccount: item.providerAccountId },
          );
          const base = { reference: payout.id, payoutId: item.payoutId, currency: payout.currency };
          const amount = minorToNanos(payout.amount, payout.currency);
          if (payout.status === 'paid' || payout.status === 'failed') {
            found.push({ ...base, type: 'payout', amount, occurredAt: new Date(payout.arrival_date * 1000) });
          }
          if (payout.status === 'failed') {
            found.push({ ...base, type: 'payout_return', amount, occurredAt: new Date(payout.arrival_date * 1000) });
          }
        }
        return found;
      });
      lines.push(...currencyLines);
    }
    return lines;
  }

  private async findConnectedPayout(connected: string, payoutId: string): Promise<Stripe.Payout | null> {
    const recent = await this.stripe().payouts.list({ limit: 100 }, { stripeAccount: connected });
    return recent.data.find((payout) => payout.metadata?.payout_id === payoutId) ?? null;
  }

  /** Stripe's errors as the payout pipeline sees them: retry later, or give up on this payout. */
  private async stripeCall<T>(call: () => Promise<T>, transferId: string | null = null): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const failure = error as { type?: string; statusCode?: number; code?: string; message?: string };
      const status = failure.statusCode ?? 0;
      if (failure.type === 'StripeInvalidRequestError' && status >= 400 && status < 500 && status !== 429) {
        throw new RailRejectedError(
          failure.code ?? 'provider_rejected',
          failure.message ?? 'Stripe refused the request.',
          transferId,
        );
      }
      throw new RailRetryableError(
        `Stripe call failed (${failure.type ?? 'error'} ${status}): ${failure.message ?? String(error)}`,
      );
    }
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

function railStatus(status: string): RailPayoutStatus {
  if (status === 'paid') return 'paid';
  if (status === 'failed' || status === 'canceled') return 'failed';
  return 'in_transit';
}

/** Stripe's whole minor units back to ledger nanos. */
function minorToNanos(amount: number, currency: string): bigint {
  return minorUnitsToNanos(BigInt(amount), currency);
}
