/**
 * `payout=` on GET /v1/balance_transactions: which ledger transactions a payout paid out. The payouts module
 * knows (its reconciliation window) and provides this under PAYOUT_TRANSACTIONS; the ledger only filters by it.
 */
export interface PayoutTransactions {
  /** Throws a 404 ApiError when the account has no such payout. */
  transactionsOf(accountId: string, payoutId: string): Promise<string[]>;
}

export const PAYOUT_TRANSACTIONS = Symbol('PAYOUT_TRANSACTIONS');
