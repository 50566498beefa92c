import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** The ledger transaction type of a settlement; its own movements of `pending` are not settled again. */
export const SETTLEMENT_TRANSACTION_TYPE = 'settlement';
export const RESERVE_RELEASE_TRANSACTION_TYPE = 'reserve_release';

/**
 * The ingest never moves its cursor past a transaction that is still writing (see `lockCursor`), so nothing is
 * missed by construction. It still re-reads this much before its cursor, against a step of the database clock;
 * re-reading is harmless (items are unique) and cheap (the already-ingested check is an index probe).
 */
const INGEST_OVERLAP = '5 seconds';

export interface PendingMovement {
  transactionId: string;
  ledgerAccountId: string;
  accountId: string;
  currency: string;
  net: bigint;
  createdAt: Date;
}

export interface TransactionFacts {
  type: string;
  sourceType: string | null;
  sourceId: string | null;
  description: string | null;
  fee: bigint;
}

export interface NewSettlementItem {
  accountId: string;
  currency: string;
  ledgerTransactionId: string;
  ledgerAccountId: string;
  transactionType: string;
  sourceType: string | null;
  sourceId: string | null;
  description: string | null;
  gross: bigint;
  fee: bigint;
  net: bigint;
  ledgerCreatedAt: Date;
  occurredAt: Date;
  availableOn: Date;
}

export interface SettlementItem {
  id: string;
  net: bigint;
}

export interface DueReserveHold {
  id: string;
  accountId: string;
  currency: string;
  amount: bigint;
}

/**
 * Settlement bookkeeping. Reads the ledger's tables (never writes them: money only moves through LedgerService)
 * to learn which movements of receivers' pending balances exist and when each becomes available.
 *
 * The ledger's ids are COLLATE "C" and this module's columns use the database default. A comparison of the two
 * is made in "C" (a column's own collation wins over the default), where the indexes of this module's tables do
 * not apply; so a ledger value looked up in one of them is marked COLLATE "default". Equality is byte-wise in
 * both, so answers do not change; without it, the already-ingested check scanned settlement_items once per
 * ledger entry (9 s for 12,500 entries).
 */
@Injectable()
export class SettlementRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Posted movements of receivers' `pending` accounts not yet copied into settlement_items, one per ledger
   * transaction and account, read from the ledger entries written at or after `since` and before `before`
   * (ledger time).
   */
  async newPendingMovements(manager: EntityManager, since: Date, before: Date): Promise<PendingMovement[]> {
    const rows: Array<{
      transaction_id: string;
      account_id: string;
      owner: string;
      currency: string;
      net: string;
      created_at: Date;
    }> = await manager.query(
      `SELECT e.transaction_id, e.account_id, a.owner, a.currency,
              sum(CASE e.direction WHEN 'credit' THEN e.amount ELSE -e.amount END)::text AS net,
              max(e.created_at) AS created_at
         FROM ledger_accounts a
         JOIN LATERAL (
           SELECT * FROM ledger_entries le
            WHERE le.account_id = a.id AND le.created_at >= $1::timestamptz - interval '${INGEST_OVERLAP}'
              AND le.created_at < $2::timestamptz
              AND le.effect = 'post'
         ) e ON true
        WHERE a.purpose = 'pending' AND a.owner LIKE 'acct\\_%'
          AND NOT EXISTS (
            SELECT 1 FROM settlement_items i
             WHERE i.ledger_transaction_id = e.transaction_id COLLATE "default"
               AND i.ledger_account_id = e.account_id COLLATE "default")
        GROUP BY e.transaction_id, e.account_id, a.owner, a.currency`,
      [since, before],
    );
    return rows.map((row) => ({
      transactionId: row.transaction_id,
      ledgerAccountId: row.account_id,
      accountId: row.owner,
      currency: row.currency,
      net: BigInt(row.net),
      createdAt: row.created_at,
    }));
  }

  /**
   * What each ledger transaction was (its own source, or its parent's for a posted hold) and its platform fee.
   * The fee subquery reads a transaction's entries by its key and only then filters by account (the OFFSET 0
   * keeps the planner from combining it with the account index): the platform fees account has an entry for
   * nearly every transaction, and a plan that scans it per row — which PostgreSQL picks when the table has no
   * statistics yet — grows with the whole history. For the same reason each transaction is fetched by its key
   * (a LATERAL that OFFSET 0 keeps apart): given a thousand ids as `id = ANY(...)`, PostgreSQL preferred a
   * parallel scan of the whole table (600 ms of CPU on 50,000 transactions, against 11 ms for the probes).
   */
  async describeTransactions(manager: EntityManager, ids: string[]): Promise<Map<string, TransactionFacts>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{
      id: string;
      type: string;
      source_type: string | null;
      source_id: string | null;
      description: string | null;
      fee: string;
    }> = await manager.query(
      `SELECT t.id, t.type, coalesce(t.source_type, p.source_type) AS source_type,
              coalesce(t.source_id, p.source_id) AS source_id, coalesce(t.description, p.description) AS description,
              coalesce(f.fee, 0)::text AS fee
         FROM unnest($1::text[]) AS wanted(id)
         CROSS JOIN LATERAL (SELECT * FROM ledger_transactions lt WHERE lt.id = wanted.id OFFSET 0) t
         LEFT JOIN ledger_transactions p ON p.id = t.parent_id
         LEFT JOIN LATERAL (
           SELECT sum(CASE fe.direction WHEN 'credit' THEN fe.amount ELSE -fe.amount END) AS fee
             FROM (SELECT account_id, direction, amount FROM ledger_entries
                    WHERE transaction_id = t.id AND effect = 'post' OFFSET 0) fe
             JOIN ledger_accounts fa ON fa.id = fe.account_id
            WHERE fa.owner = 'platform' AND fa.purpose = 'fees') f ON true`,
      [ids],
    );
    return new Map(
      rows.map((row) => [
        row.id,
        {
          type: row.type,
          sourceType: row.source_type,
          sourceId: row.source_id,
          description: row.description,
          fee: BigInt(row.fee),
        },
      ]),
    );
  }

  async settlementDelays(manager: EntityManager, accountIds: string[]): Promise<Map<string, number>> {
    if (accountIds.length === 0) return new Map();
    const rows: Array<{ account_id: string; settlement_delay_days: number }> = await manager.query(
      `SELECT account_id, settlement_delay_days FROM payout_settings
        WHERE account_id = ANY($1::text[]) AND settlement_delay_days IS NOT NULL`,
      [accountIds],
    );
    return new Map(rows.map((row) => [row.account_id, row.settlement_delay_days]));
  }

  async insertItems(manager: EntityManager, items: NewSettlementItem[]): Promise<number> {
    if (items.length === 0) return 0;
    const rows: Array<{ count: string }> = await manager.query(
      `WITH inserted AS (
         INSERT INTO settlement_items (id, account_id, currency, ledger_transaction_id, ledger_account_id,
           transaction_type, source_type, source_id, description, gross, fee, net, ledger_created_at, occurred_at,
           available_on)
         SELECT 'sti_' || md5(x.tx || '/' || x.la), x.*
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                       $9::numeric[], $10::numeric[], $11::numeric[], $12::timestamptz[], $13::timestamptz[],
                       $14::timestamptz[])
             AS x(account_id, currency, tx, la, type, source_type, source_id, description, gross, fee, net,
                  ledger_created_at, occurred_at, available_on)
         ON CONFLICT (ledger_transaction_id, ledger_account_id) DO NOTHING
         RETURNING 1)
       SELECT count(*) FROM inserted`,
      [
        items.map((i) => i.accountId),
        items.map((i) => i.currency),
        items.map((i) => i.ledgerTransactionId),
        items.map((i) => i.ledgerAccountId),
        items.map((i) => i.transactionType),
        items.map((i) => i.sourceType),
        items.map((i) => i.sourceId),
        items.map((i) => i.description),
        items.map((i) => i.gross.toString()),
        items.map((i) => i.fee.toString()),
        items.map((i) => i.net.toString()),
        items.map((i) => i.ledgerCreatedAt),
        items.map((i) => i.occurredAt),
        items.map((i) => i.availableOn),
      ],
    );
    return Number(rows[0].count);
  }

  /** When the first posted movement of a receiver's `pending` account at or after `from` was written, if any. */
  async nextPendingEntryAt(manager: EntityManager, from: Date): Promise<Date | null> {
    const [row] = (await manager.query(
      `SELECT min(e.created_at) AS next
         FROM ledger_accounts a
         JOIN LATERAL (
           SELECT le.created_at FROM ledger_entries le
            WHERE le.account_id = a.id AND le.created_at >= $1 AND le.effect = 'post'
            ORDER BY le.created_at LIMIT 1
         ) e ON true
        WHERE a.purpose = 'pending' AND a.owner LIKE 'acct\\_%'`,
      [from],
    )) as Array<{ next: Date | null }>;
    return row.next;
  }

  /**
   * The ingest cursor (ledger time), locked so two ingests never interleave, and the horizon: the ledger time
   * before which every entry is committed (or will never be). A ledger entry's created_at is the database clock
   * when it is written, inside its transaction: no earlier than that transaction's start. The horizon is the
   * database's clock, or the start of the oldest transaction then writing in this database (one with a
   * transaction id: it has written something) if that is earlier. The clock is read first and the writing
   * transactions in a later statement (READ COMMITTED: the entries are read later still), so a transaction that
   * wrote before the clock reading is either listed or already visible, and one that writes later stamps its
   * entries after the clock. Transactions are seen through pg_stat_activity, which shows every session of the
   * app's own role: the ledger must be written by that role only.
   */
  async lockCursor(manager: EntityManager): Promise<{ since: Date; now: Date; horizon: Date }> {
    await manager.query(
      `INSERT INTO settlement_cursor (id, scanned_until) VALUES (true, 'epoch') ON CONFLICT (id) DO NOTHING`,
    );
    const [cursor] = (await manager.query(
      `SELECT scanned_until, clock_timestamp() AS now FROM settlement_cursor WHERE id FOR UPDATE`,
    )) as Array<{ scanned_until: Date; now: Date }>;
    const [open] = (await manager.query(
      `SELECT min(xact_start) AS oldest FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL`,
    )) as Array<{ oldest: Date | null }>;
    const horizon = open.oldest && open.oldest < cursor.now ? open.oldest : cursor.now;
    return { since: cursor.scanned_until, now: cursor.now, horizon };
  }

  async moveCursor(manager: EntityManager, until: Date): Promise<void> {
    await manager.query(`UPDATE settlement_cursor SET scanned_until = greatest(scanned_until, $1) WHERE id`, [until]);
  }

  /** Accounts and currencies with items available by `now` and not yet settled. */
  async dueGroups(now: Date, limit: number): Promise<Array<{ accountId: string; currency: string }>> {
    const rows: Array<{ account_id: string; currency: string }> = await this.dataSource.query(
      `SELECT DISTINCT account_id, currency FROM settlement_items
        WHERE settlement_id IS NULL AND available_on <= $1
        ORDER BY account_id, currency LIMIT $2`,
      [now, limit],
    );
    return rows.map((row) => ({ accountId: row.account_id, currency: row.currency }));
  }

  /** The due items of one account and currency, locked; another settler working on them is skipped, not awaited. */
  async lockDueItems(
    manager: EntityManager,
    accountId: string,
    currency: string,
    now: Date,
  ): Promise<SettlementItem[]> {
    const rows: Array<{ id: string; net: string }> = await manager.query(
      `SELECT id, net FROM settlement_items
        WHERE account_id = $1 AND currency = $2 AND settlement_id IS NULL AND available_on <= $3
        ORDER BY id FOR UPDATE SKIP LOCKED`,
      [accountId, currency, now],
    );
    return rows.map((row) => ({ id: row.id, net: BigInt(row.net) }));
  }

  async insertSettlement(
    manager: EntityManager,
    settlement: {
      id: string;
      accountId: string;
      currency: string;
      amount: bigint;
      reserveAmount: bigint;
      ledgerTransactionId: string | null;
      createdAt: Date;
    },
    itemIds: string[],
  ): Promise<void> {
    await manager.query(
      `INSERT INTO settlements (id, account_id, currency, amount, reserve_amount, ledger_transaction_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        settlement.id,
        settlement.accountId,
        settlement.currency,
        settlement.amount.toString(),
        settlement.reserveAmount.toString(),
        settlement.ledgerTransactionId,
        settlement.createdAt,
      ],
    );
    await manager.query(`UPDATE settlement_items SET settlement_id = $1 WHERE id = ANY($2::text[])`, [
      settlement.id,
      itemIds,
    ]);
  }

  async insertReserveHold(
    manager: EntityManager,
    hold: {
      id: string;
      accountId: string;
      currency: string;
      settlementId: string;
      amount: bigint;
      releaseOn: Date;
      createdAt: Date;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO reserve_holds (id, account_id, currency, settlement_id, amount, release_on, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        hold.id,
        hold.accountId,
        hold.currency,
        hold.settlementId,
        hold.amount.toString(),
        hold.releaseOn,
        hold.createdAt,
      ],
    );
  }

  async dueReserveHolds(now: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM reserve_holds WHERE released_at IS NULL AND release_on <= $1 ORDER BY release_on, id LIMIT $2`,
      [now, limit],
    );
    return rows.map((row) => row.id);
  }

  async lockUnreleasedHold(manager: EntityManager, id: string): Promise<DueReserveHold | null> {
    const rows: Array<{ id: string; account_id: string; currency: string; amount: string }> = await manager.query(
      `SELECT id, account_id, currency, amount FROM reserve_holds WHERE id = $1 AND released_at IS NULL
        FOR UPDATE SKIP LOCKED`,
      [id],
    );
    return rows.length
      ? { id: rows[0].id, accountId: rows[0].account_id, currency: rows[0].currency, amount: BigInt(rows[0].amount) }
      : null;
  }

  async markReleased(manager: EntityManager, id: string, transactionId: string, now: Date): Promise<void> {
    await manager.query(`UPDATE reserve_holds SET released_at = $2, release_transaction_id = $3 WHERE id = $1`, [
      id,
      now,
      transactionId,
    ]);
  }
}
