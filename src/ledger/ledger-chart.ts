import type { LedgerAccountKey, LedgerAccountPurpose } from './ledger.types.js';

export type NormalBalance = 'debit' | 'credit';

/** The owner of platform and external accounts. */
export const PLATFORM_OWNER = 'platform';

/** Every purpose of the chart of accounts (ARCHITECTURE.md §5). */
export const LEDGER_PURPOSES: readonly LedgerAccountPurpose[] = [
  'wallet',
  'pending',
  'available',
  'reserve',
  'payout_in_transit',
  'fees',
  'rounding',
  'compensation',
  'budget',
  'provider_clearing',
  'bank',
];

/**
 * Balance rows per unbounded platform account. Every platform fee and every top-up touches one of these
 * accounts, so a single row would make all writers queue behind one lock; a writer takes one shard and reads
 * sum the shards. Bounded accounts are never sharded: their floor needs the whole balance under one lock.
 */
export const PLATFORM_ACCOUNT_SHARDS = 16;

/** Accounts that may not go below zero; the rest are unbounded (a receiver's `pending` may go negative after a refund). */
const BOUNDED: ReadonlySet<LedgerAccountPurpose> = new Set([
  'wallet',
  'available',
  'reserve',
  'payout_in_transit',
  'budget',
]);

/** Money held outside the platform: the platform's asset side, so debit-normal. */
const DEBIT_NORMAL: ReadonlySet<LedgerAccountPurpose> = new Set(['provider_clearing', 'bank']);

export interface AccountPolicy {
  normalBalance: NormalBalance;
  /** Lowest balance in the normal direction; null = unbounded. */
  floor: bigint | null;
  shards: number;
}

export function isLedgerPurpose(value: string): value is LedgerAccountPurpose {
  return (LEDGER_PURPOSES as readonly string[]).includes(value);
}

/** The defaults of an account opened for `key`, with optional overrides of its floor and shards. */
export function accountPolicy(
  key: LedgerAccountKey,
  overrides: { floor?: bigint | null; shards?: number } = {},
): AccountPolicy {
  const floor = overrides.floor !== undefined ? overrides.floor : BOUNDED.has(key.purpose) ? 0n : null;
  const shards =
    floor !== null ? 1 : (overrides.shards ?? (key.owner === PLATFORM_OWNER ? PLATFORM_ACCOUNT_SHARDS : 1));
  return { normalBalance: DEBIT_NORMAL.has(key.purpose) ? 'debit' : 'credit', floor, shards };
}
