/**
 * The ledger's public contract. Every money movement in the platform goes through LedgerService
 * (src/ledger/ledger.service.ts), the only writer of ledger tables. Amounts are bigint nanos (libs/money).
 */

/** Chart of accounts (ARCHITECTURE.md §5), per owner and currency. */
export type LedgerAccountPurpose =
  // payer
  | 'wallet'
  // receiver
  | 'pending'
  | 'available'
  | 'reserve'
  | 'payout_in_transit'
  // platform
  | 'fees'
  | 'rounding'
  | 'compensation'
  // incentive program (owner = program id)
  | 'budget'
  // external
  | 'provider_clearing'
  | 'bank';

/** Owner 'platform' for platform and external accounts; otherwise an account id (acct_…) or program id (prog_…). */
export interface LedgerAccountKey {
  owner: string;
  purpose: LedgerAccountPurpose;
  currency: string;
}

/**
 * One leg moves `amount` (> 0) from `debit` to `credit` (TigerBeetle's transfer). A transaction of N legs
 * is atomic and balanced by construction; both sides of a leg must be in the same currency.
 */
export interface LedgerLeg {
  debit: LedgerAccountKey;
  credit: LedgerAccountKey;
  amount: bigint;
}

export interface PostTransactionInput {
  /** Idempotency reference, unique per `referenceOwner` (default 'platform'). Same reference + same content
   *  returns the first transaction; other content throws LedgerError 'idempotency_conflict'. */
  reference: string;
  referenceOwner?: string;
  /** What caused it: 'top_up', 'payment', 'payment_fee', 'refund', 'usage_charge', 'subsidy', 'payout', 'adjustment'… */
  type: string;
  /** The API object that caused it, e.g. { sourceType: 'payment', sourceId: 'pay_…' }. */
  sourceType?: string;
  sourceId?: string;
  description?: string;
  metadata?: Record<string, string>;
  /** The API request that caused it, for the audit trail (e.g. an operator's adjustment). */
  requestId?: string;
  legs: LedgerLeg[];
}

export interface HoldInput extends PostTransactionInput {
  /** When a scheduled job voids the hold (status 'expired') if it is still pending. */
  expiresAt?: Date;
}

/** Posts a hold (pending transaction): fully, or per leg up to what was held; the rest is released. */
export interface PostPendingInput {
  reference: string;
  referenceOwner?: string;
  /** Per leg of the hold, each 0 ≤ amount ≤ held (not all zero); omitted = everything held. */
  amounts?: bigint[];
}

/** Voids a hold: everything held is released. */
export interface VoidPendingInput {
  reference: string;
  referenceOwner?: string;
}

/** Reverses a posted transaction with a new, linked one whose legs are swapped. */
export interface ReverseInput {
  reference: string;
  referenceOwner?: string;
  /** Per leg of the original, each ≤ what remains unreversed; omitted = everything that remains. */
  amounts?: bigint[];
  /** Default 'reversal'. */
  type?: string;
  /** Default: the original's source. */
  sourceType?: string;
  sourceId?: string;
  description?: string;
  metadata?: Record<string, string>;
  requestId?: string;
}

/** Overrides for an account's defaults (ledger-chart.ts); they apply when the account is created. */
export interface OpenAccountOptions {
  /** Lowest balance allowed, in the account's normal direction; null = unbounded. */
  floor?: bigint | null;
  /**
   * Balance rows to spread an unbounded account over, for an account that many concurrent writers credit or debit
   * (default: 16 for unbounded platform accounts, 1 otherwise). Bounded accounts always have one.
   */
  shards?: number;
}

export type LedgerTransactionStatus = 'pending' | 'posted' | 'voided' | 'expired';

export interface LedgerTransactionView {
  id: string; // ltx_…
  reference: string;
  referenceOwner: string;
  type: string;
  status: LedgerTransactionStatus;
  sourceType: string | null;
  sourceId: string | null;
  /** For a posting/void of a hold or a reversal: the transaction it acts on. */
  parentId: string | null;
  legs: Array<{ debitAccountId: string; creditAccountId: string; amount: bigint }>;
  createdAt: Date;
  /**
   * True when this call replayed an earlier transaction with the same reference and content. A replay returns the
   * first result: a hold replays as pending even if it was posted, voided or expired since.
   */
  replayed: boolean;
}

/** Transfers planned by LedgerService.prepareMany: their ids, in request order, and the write that posts them. */
export interface PreparedTransfers {
  ids: string[];
  apply(): Promise<LedgerTransactionView[]>;
}

export interface LedgerBalance {
  accountId: string;
  key: LedgerAccountKey;
  normalBalance: 'debit' | 'credit';
  debitsPending: bigint;
  debitsPosted: bigint;
  creditsPending: bigint;
  creditsPosted: bigint;
  /** Posted balance in the account's normal direction. */
  posted: bigint;
  /** Pending holds against the account (normal-direction outflows awaiting posting). */
  pending: bigint;
  /** posted − pending outflows: what can be spent now. */
  available: bigint;
}

/** Stable error codes thrown as LedgerError (an ApiError subclass). */
export type LedgerErrorCode =
  | 'insufficient_funds' // a bounded account would go below its floor (HTTP 402)
  | 'idempotency_conflict' // same reference, other content (HTTP 409)
  | 'transaction_not_pending' // post/void of a hold that is no longer pending (HTTP 409)
  | 'amount_exceeds_hold' // posting more than held (HTTP 400)
  | 'currency_mismatch' // legs mixing currencies within one leg (HTTP 400)
  | 'invalid_amount' // amount <= 0 (HTTP 400)
  | 'transaction_not_reversible' // reversing a non-posted transaction (HTTP 409)
  | 'amount_exceeds_reversible' // reversing more than remains unreversed (HTTP 400)
  | 'invalid_legs' // no legs, a leg from an account to itself, an unknown currency or purpose (HTTP 400)
  | 'ledger_account_conflict'; // opening an existing account with another floor (HTTP 409)

/** One side of a leg as stored: an entry of an account shard, with the shard's counters right after it. */
export interface LedgerEntryView {
  /** `<transaction id>:<ordinal>`: stable, and the cursor of entry lists. */
  id: string;
  transactionId: string;
  ordinal: number;
  accountId: string;
  shard: number;
  currency: string;
  direction: 'debit' | 'credit';
  /** 'hold' adds to the pending counters, 'release' takes from them, 'post' adds to the posted counters. */
  effect: 'hold' | 'release' | 'post';
  amount: bigint;
  createdAt: Date;
  resulting: { debitsPending: bigint; debitsPosted: bigint; creditsPending: bigint; creditsPosted: bigint };
  /** The shard's posted balance in the account's normal direction after this entry. */
  resultingPosted: bigint;
}
