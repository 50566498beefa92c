/**
 * The port every payment rail implements. `local` (the built-in bank rail simulator) is the default;
 * `stripe` (Stripe Connect) is chosen when STRIPE_SECRET_KEY is set. Only providers/stripe* imports `stripe`.
 */
import type {
  PayoutRequest,
  PayoutResult,
  PayoutUpdate,
  RailStatementLine,
  StatementQuery,
  TransferReversalRequest,
} from './payout-rail.js';

export interface OnboardingAccount {
  id: string;
  email: string;
  country: string;
  providerAccountId: string | null;
}

export interface OnboardingLink {
  url: string;
  providerAccountId: string | null;
  /** True when the provider verified the account on the spot (local rail with LOCAL_AUTO_VERIFY=true). */
  verified: boolean;
  expiresAt: Date;
}

export interface TopUpRequest {
  topUpId: string;
  /** The payer account whose wallet the top-up funds. */
  accountId: string;
  /** Whole minor units of the currency (cents for USD): what the provider collects. */
  amountMinor: bigint;
  currency: string;
  /** Deterministic per top-up, so a retried call never collects twice. */
  idempotencyKey: string;
  /** Local rail only (callers refuse it for any other provider): how the simulated collection turns out. */
  testOutcome?: TopUpTestOutcome;
}

/**
 * What the local rail does with a top-up, chosen per request like Stripe's test payment methods: `succeed`
 * collects at once (the default), `pending` waits for a test helper to succeed or fail it, `fail` declines at once.
 */
export const TOP_UP_TEST_OUTCOMES = ['succeed', 'pending', 'fail'] as const;
export type TopUpTestOutcome = (typeof TOP_UP_TEST_OUTCOMES)[number];

export interface TopUpResult {
  /**
   * `succeeded`: the money is collected now. `pending`: the provider confirms later (Stripe: a webhook; local: a
   * test helper). `failed`: the provider declined, with `failureCode` and `failureMessage`.
   */
  status: 'succeeded' | 'pending' | 'failed';
  providerReference: string;
  /** What a client-side integration needs to complete the payment (Stripe: the PaymentIntent's client secret). */
  clientSecret: string | null;
  failureCode?: string;
  failureMessage?: string;
}

export interface PaymentProvider {
  readonly name: 'local' | 'stripe';
  createOnboardingLink(account: OnboardingAccount): Promise<OnboardingLink>;
  createTopUp(request: TopUpRequest): Promise<TopUpResult>;
}

export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');

/** The payout half of the port (types in payout-rail.ts), declared apart so each half reads on its own. */
export interface PaymentProvider {
  /**
   * Sends payouts, or returns what the rail already did for their idempotency keys. One answer per request, in
   * order: a PayoutResult, or the error of that payout (RailRejectedError fails it, anything else is retried).
   */
  createPayouts(requests: PayoutRequest[]): Promise<Array<PayoutResult | Error>>;
  /** Stripe: moves a failed payout's transferred funds back to the platform. Local: nothing to do. */
  reversePayoutTransfer(request: TransferReversalRequest): Promise<void>;
  /** Changes the platform has not been told about (the local bank); Stripe pushes webhooks instead. */
  pollPayoutUpdates(limit: number): Promise<PayoutUpdate[]>;
  acknowledgePayoutUpdate(update: PayoutUpdate): Promise<void>;
  /** What the rail says happened, for reconciliation against the ledger. */
  payoutStatement(query: StatementQuery): Promise<RailStatementLine[]>;
}
