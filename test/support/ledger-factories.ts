import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { LedgerService } from '../../src/ledger/ledger.service.js';
import type { LedgerAccountKey, LedgerAccountPurpose } from '../../src/ledger/ledger.types.js';

/** A fresh owner id, so each test has its own ledger accounts in the shared test database. */
export function ledgerOwner(prefix = 'acct'): string {
  return `${prefix}_test${randomUUID().replace(/-/g, '').slice(0, 20)}`;
}

export function ledgerKey(owner: string, purpose: LedgerAccountPurpose, currency = 'usd'): LedgerAccountKey {
  return { owner, purpose, currency };
}

export function ledgerReference(label = 'ref'): string {
  return `${label}:${randomUUID()}`;
}

/** Funds a payer wallet from provider clearing, as a top-up does. */
export async function fundWallet(ledger: LedgerService, wallet: LedgerAccountKey, amount: bigint): Promise<void> {
  await ledger.post({
    reference: ledgerReference('top_up'),
    type: 'top_up',
    legs: [{ debit: ledgerKey('platform', 'provider_clearing', wallet.currency), credit: wallet, amount }],
  });
}

export interface LedgerInvariantReport {
  unbalanced: Array<{ currency: string; layer: string; debits: string; credits: string }>;
  mismatchedBalances: Array<{ account_id: string; shard: number }>;
  belowFloor: Array<{ account_id: string; shard: number }>;
  entriesNotMatchingLegs: string[];
}

/** Checks the ledger's invariants over the whole database with plain SQL, independently of LedgerService. */
export async function checkLedgerInvariants(db: DataSource): Promise<LedgerInvariantReport> {
  const unbalanced = await db.query(
    `SELECT currency, layer, debits::text, credits::text FROM (
       SELECT a.currency, 'posted' AS layer, sum(b.debits_posted) AS debits, sum(b.credits_posted) AS credits
       FROM ledger_balances b JOIN ledger_accounts a ON a.id = b.account_id GROUP BY a.currency
       UNION ALL
       SELECT a.currency, 'pending', sum(b.debits_pending), sum(b.credits_pending)
       FROM ledger_balances b JOIN ledger_accounts a ON a.id = b.account_id GROUP BY a.currency
     ) t WHERE debits <> credits`,
  );
  const mismatchedBalances = await db.query(
    `SELECT b.account_id, b.shard FROM ledger_balances b
     LEFT JOIN (
       SELECT account_id, shard,
         sum(CASE WHEN direction = 'debit' AND effect = 'hold' THEN amount
                  WHEN direction = 'debit' AND effect = 'release' THEN -amount ELSE 0 END) AS dp,
         sum(CASE WHEN direction = 'debit' AND effect = 'post' THEN amount ELSE 0 END) AS dpo,
         sum(CASE WHEN direction = 'credit' AND effect = 'hold' THEN amount
                  WHEN direction = 'credit' AND effect = 'release' THEN -amount ELSE 0 END) AS cp,
         sum(CASE WHEN direction = 'credit' AND effect = 'post' THEN amount ELSE 0 END) AS cpo
       FROM ledger_entries GROUP BY account_id, shard
     ) e ON e.account_id = b.account_id AND e.shard = b.shard
     LEFT JOIN LATERAL (
       SELECT * FROM ledger_entries x WHERE x.account_id = b.account_id AND x.shard = b.shard
       ORDER BY x.created_at DESC, x.ordinal DESC LIMIT 1
     ) last ON true
     WHERE b.debits_pending <> coalesce(e.dp, 0) OR b.debits_posted <> coalesce(e.dpo, 0)
        OR b.credits_pending <> coalesce(e.cp, 0) OR b.credits_posted <> coalesce(e.cpo, 0)
        OR (last.transaction_id IS NOT NULL AND (
          last.resulting_debits_pending <> b.debits_pending OR last.resulting_debits_posted <> b.debits_posted
          OR last.resulting_credits_pending <> b.credits_pending OR last.resulting_credits_posted <> b.credits_posted))`,
  );
  const belowFloor = await db.query(
    `SELECT b.account_id, b.shard FROM ledger_balances b JOIN ledger_accounts a ON a.id = b.account_id
     WHERE a.min_balance IS NOT NULL AND CASE a.normal_balance
       WHEN 'credit' THEN b.credits_posted - b.debits_posted - b.debits_pending
       ELSE b.debits_posted - b.credits_posted - b.credits_pending END < a.min_balance`,
  );
  // Entries are the legs of their transaction aggregated per account shard, direction and effect.
  const entriesNotMatchingLegs: Array<{ id: string }> = await db.query(
    `WITH leg_sides AS (
       SELECT t.id, l.value->>'d' AS account_id, (l.value->>'ds')::int AS shard, 'debit' AS direction,
              (l.value->>'a')::numeric AS amount, t.kind
       FROM ledger_transactions t CROSS JOIN LATERAL jsonb_array_elements(t.legs) l
       UNION ALL
       SELECT t.id, l.value->>'c', (l.value->>'cs')::int, 'credit', (l.value->>'a')::numeric, t.kind
       FROM ledger_transactions t CROSS JOIN LATERAL jsonb_array_elements(t.legs) l
     ), expected AS (
       SELECT id::text, account_id::text, shard, direction,
              CASE kind WHEN 'hold' THEN 'hold' WHEN 'void_pending' THEN 'release'
                        WHEN 'expire_pending' THEN 'release' ELSE 'post' END AS effect, sum(amount) AS amount
       FROM leg_sides GROUP BY 1, 2, 3, 4, 5
     ), actual AS (
       SELECT transaction_id AS id, account_id, shard::int, direction::text, effect::text, amount FROM ledger_entries
       WHERE NOT (effect = 'release' AND transaction_id IN (SELECT id FROM ledger_transactions WHERE kind = 'post_pending'))
     )
     SELECT DISTINCT id FROM (
       (SELECT * FROM expected EXCEPT SELECT * FROM actual) UNION ALL (SELECT * FROM actual EXCEPT SELECT * FROM expected)
     ) diff`,
  );
  return {
    unbalanced,
    mismatchedBalances,
    belowFloor,
    entriesNotMatchingLegs: entriesNotMatchingLegs.map((row) => row.id),
  };
}

export const CLEAN_LEDGER: LedgerInvariantReport = {
  unbalanced: [],
  mismatchedBalances: [],
  belowFloor: [],
  entriesNotMatchingLegs: [],
};
