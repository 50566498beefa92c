/** Why a spend was refused. Stable codes shown to API clients as a payment's `decline_code`. */
export type DeclineCode =
  | 'insufficient_funds'
  | 'mandate_limit_exceeded'
  | 'mandate_budget_exhausted'
  | 'mandate_expired'
  | 'mandate_revoked'
  | 'payee_not_allowed'
  | 'currency_mismatch'
  | 'receiver_not_enabled';

export const DECLINE_CODES: readonly DeclineCode[] = [
  'insufficient_funds',
  'mandate_limit_exceeded',
  'mandate_budget_exhausted',
  'mandate_expired',
  'mandate_revoked',
  'payee_not_allowed',
  'currency_mismatch',
  'receiver_not_enabled',
];

export interface SpendCharge {
  /** Gross amount the payer pays, nanos, > 0. */
  amount: bigint;
  /** Platform fee inside `amount`, nanos, 0 ≤ fee ≤ amount (see FeeCalculator). */
  fee: bigint;
  /** Deterministic, unique per charge (e.g. `payment:pay_…`): the ledger reference of a charge moved alone. */
  reference: string;
  sourceType: string;
  sourceId: string;
  /** Reserved for mandates restricted to products; not checked yet. */
  productId?: string;
}

/**
 * - `post`: accepted charges move now, all in one ledger transaction.
 * - `hold`: each accepted charge is held in its own pending ledger transaction (captured or released later
 *   through MandateHoldService).
 * - `confirm_above_threshold`: charges above the mandate's confirmation threshold are held for a human to
 *   confirm; the others are posted together.
 */
export type SpendMode = 'post' | 'hold' | 'confirm_above_threshold';

/** The receiver's fee settings, read under the spend's lock on its account row. */
export interface SpendReceiver {
  id: string;
  feeBps: number | null;
  feeFixed: bigint | null;
}

/** Prices the platform fee of each charge once the receiver is locked: returns fee(amount). */
export type SpendFeePricing = (receiver: SpendReceiver) => Promise<(amount: bigint) => bigint>;

export interface SpendInput {
  mandateId: string;
  receiverAccountId: string;
  currency: string;
  charges: SpendCharge[];
  /** Ledger transaction type, e.g. 'payment' or 'usage_charge'. */
  type: string;
  mode?: SpendMode;
  /** Passed to the ledger for holds the caller does not expire itself. */
  holdExpiresAt?: Date;
  /** Ledger reference of the batch posting when several charges are posted; derived from the charges if absent. */
  batchReference?: string;
  /** The spend's instant (default now): decides the UTC day and expiry. */
  at?: Date;
  /**
   * When given, replaces every charge's `fee` with fee(amount) priced from the receiver's account row that
   * the spend locks anyway (saves the caller a read, and the fee settings cannot change underneath).
   */
  priceFees?: SpendFeePricing;
}

export type SpendOutcome =
  | {
      status: 'accepted';
      /** True when the charge is held (pending ledger transaction) rather than posted. */
      held: boolean;
      ledgerTransactionId: string;
    }
  | { status: 'declined'; declineCode: DeclineCode; message: string };

export interface SpendResult {
  mandate: {
    id: string;
    payerAccountId: string;
    agentId: string | null;
  };
  /** The UTC day the accepted charges were counted against ('YYYY-MM-DD'); needed to give them back later. */
  countedDay: string;
  /** One per charge, in order. */
  outcomes: SpendOutcome[];
  /** The fee of each charge, in order (as given, or as priced by `priceFees`). */
  fees: bigint[];
}

/** Charges of one mandate within a batch spend. */
export interface SpendGroup {
  mandateId: string;
  charges: SpendCharge[];
}

/**
 * spend() for many mandates of one receiver and currency at once (Token Pay batches). Every accepted charge of
 * every mandate is posted in ONE ledger transaction under `reference` (deterministic, from the caller).
 */
export interface SpendManyInput {
  receiverAccountId: string;
  currency: string;
  /** Distinct mandates; each walks its charges in order, exactly as spend() with mode 'post' would. */
  groups: SpendGroup[];
  type: string;
  reference: string;
  at?: Date;
  priceFees?: SpendFeePricing;
  /**
   * Skip reading the wallets' balances and lock them only in the round trip of the posting, letting the ledger
   * refuse an overdraft: the contended wallet locks are then held for the shortest time, but an overdraft
   * throws LedgerError('insufficient_funds') after other writes of the caller's transaction, and the caller
   * must roll back and run it again without this flag, which declines exactly.
   */
  optimistic?: boolean;
}

/** One charge of a batch of independent spends (spendEach): any mandate, receiver and currency. */
export interface SpendEachItem {
  mandateId: string;
  receiverAccountId: string;
  currency: string;
  charge: SpendCharge;
}

/**
 * Many single-charge spends decided together (a batch of payments): each item is decided exactly as spend()
 * with one charge would decide it, in input order, and each accepted charge gets its own ledger transaction.
 */
export interface SpendEachInput {
  items: SpendEachItem[];
  type: string;
  mode: SpendMode;
  at?: Date;
  holdExpiresAt?: Date;
  /** Called once per receiver and currency of the batch; replaces each charge's fee like SpendInput.priceFees. */
  priceFees?: (receiver: SpendReceiver, currency: string) => Promise<(amount: bigint) => bigint>;
  /** The shard of sharded ledger accounts (platform fees) for the whole batch; see LedgerService.transferMany. */
  shard?: number;
  /**
   * Skip reading the wallets' balances and let the ledger refuse an overdraft: saves a round trip when wallets
   * are funded, but then an overdraft throws LedgerError('insufficient_funds') after other writes of the batch,
   * and the caller must roll back and run the batch again without this flag, which declines it exactly.
   */
  optimistic?: boolean;
  /**
   * The caller's own writes for these results (its payment rows and events, say), issued together with the
   * ledger posting and the counters once every decision and ledger transaction id is known: on the pipelined
   * connection they all share one round trip. They run before the ledger has answered, so they must only
   * write within the caller's transaction, which rolls back if the posting fails.
   */
  alongside?: (results: Array<SpendResult | null>) => Promise<unknown>;
}
