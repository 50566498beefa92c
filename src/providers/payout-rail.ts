/**
 * The payout half of the PaymentProvider port (payment-provider.ts): what the payouts module asks of a rail and
 * what a rail reports back. Both rails key everything by the payout's deterministic idempotency key, so asking
 * twice (a retried job, a worker killed after the call) never pays twice.
 */

/** Where the rail sends the money. `bank_account` on the local rail, `external_account` on Stripe. */
export type PayoutRailDestination =
  | {
      type: 'bank_account';
      accountHolderName: string;
      accountNumber: string;
      routingNumber: string | null;
      country: string;
      currency: string;
    }
  | { type: 'external_account'; externalAccount: string };

export interface PayoutRequest {
  payoutId: string;
  /** Derived from the payout id; the same on every attempt. */
  idempotencyKey: string;
  accountId: string;
  /** Stripe: the connected account (acct_…). Local: null. */
  providerAccountId: string | null;
  /** Whole minor units (cents for USD). */
  amountMinor: bigint;
  currency: string;
  destination: PayoutRailDestination | null;
}

export type RailPayoutStatus = 'in_transit' | 'paid' | 'failed';

export interface PayoutResult {
  providerPayoutId: string;
  /** Stripe: the platform → connected account transfer that funded the payout. */
  providerTransferId: string | null;
  status: RailPayoutStatus;
  failureCode: string | null;
  failureMessage: string | null;
  arrivalDate: Date | null;
}

/** A later change reported by the rail: a Stripe webhook, or the local bank's clock-driven processing. */
export interface PayoutUpdate {
  /** Unique per change, for logs and for acknowledging it to the rail. */
  id: string;
  payoutId: string | null;
  providerPayoutId: string | null;
  providerTransferId: string | null;
  status: RailPayoutStatus;
  /** The money came back after the payout was paid (a bank return). */
  returned: boolean;
  failureCode: string | null;
  failureMessage: string | null;
  occurredAt: Date;
}

/** One line of what the rail says happened, normalised for matching against the ledger. */
export interface RailStatementLine {
  /** The rail's own id for the line (bank transfer id, Stripe balance transaction id). */
  reference: string;
  /** The payout it belongs to, from the rail's metadata or reference field; null when the rail does not say. */
  payoutId: string | null;
  /** payout: money left for the receiver's bank; payout_return: it came back; transfer: Stripe funding. */
  type: 'payout' | 'payout_return' | 'transfer' | 'transfer_reversal' | 'other';
  /** Positive nanos: the size of the movement, whatever its direction. */
  amount: bigint;
  currency: string;
  occurredAt: Date;
}

/** 5xx, timeouts, rate limits: the call may be repeated (same idempotency key) after a pause. */
export class RailRetryableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RailRetryableError';
  }
}

/** The rail refused the request for good (invalid destination, account not enabled): the payout fails. */
export class RailRejectedError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Stripe: the transfer made before the payout itself was refused (it must be reversed). */
    readonly providerTransferId: string | null = null,
  ) {
    super(message);
    this.name = 'RailRejectedError';
  }
}

export interface TransferReversalRequest {
  payoutId: string;
  idempotencyKey: string;
  providerAccountId: string | null;
  providerTransferId: string;
  amountMinor: bigint;
  currency: string;
}

/** What to fetch for reconciliation: the rail's lines in [from, to), for these payouts where the rail needs them. */
export interface StatementQuery {
  from: Date;
  to: Date;
  payouts: Array<{
    payoutId: string;
    providerPayoutId: string | null;
    providerTransferId: string | null;
    providerAccountId: string | null;
  }>;
}
