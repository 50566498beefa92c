import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** The ledger transaction type of a settlement; its own movements of `pending` are not settled again. */
export const SETTLEMENT_TRANSACTION_TYPE = 'settlement';
export const RESERVE_RELEASE_TRANSACTION_TYPE = 'reserve_release';

/**
 * A ledger commit and its clock_timestamp() can be this far apart; the ingest re-reads that much before its
 * cursor so a slow transaction that committed late is still seen (re-reading is harmless: items are unique).
 */
const INGEST_OVERLAP = '10 minutes';

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
 */
@Injectable()
export class SettlementRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Copies new posted movements of receivers' `pending` accounts into settlement_items, one per ledger
   * transaction and account, with gross, fee and net. The fee is the transaction's movement of platform fees when
   * the transaction concerns a single receiver (payments, refunds and usage batches do), otherwise zero. Business
   * time is the ledger's time shifted by the clock offset; funds become available at the start of the UTC day
   * `delay` days later, the delay being the account's override or the platform default.
   */
  async ingest(offsetMs: number, defaultDelayDays: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [cursor] = (await manager.query(
        `SELECT scanned_until FROM settlement_cursor WHERE id FOR UPDATE`,
      )) as Array<{ scanned_until: Date }>;
      const since = cursor ? cursor.scanned_until : new Date(0);
      const rows: Array<{ inserted: string; until: Date | null }> = await manager.query(
        `WITH moved AS (
           SELECT e.transaction_id, e.account_id, a.owner, a.currency,
                  sum(CASE e.direction WHEN 'credit' THEN e.amount ELSE -e.amount END) AS net,
                  max(e.created_at) AS created_at
             FROM ledger_accounts a
             JOIN LATERAL (
               SELECT * FROM ledger_entries le
                WHERE le.account_id = a.id AND le.created_at >= $1::timestamptz - interval '${INGEST_OVERLAP}'
             ) e ON true
            WHERE a.purpose = 'pending' AND a.owner LIKE 'acct\\_%' AND e.effect = 'post'
            GROUP BY e.transaction_id, e.account_id, a.owner, a.currency
         ), receivers AS (
           SELECT transaction_id, count(*) AS n FROM moved GROUP BY transaction_id
         ), fees AS (
           SELECT e.transaction_id, sum(CASE e.direction WHEN 'credit' THEN e.amount ELSE -e.amount END) AS fee
             FROM ledger_entries e
             JOIN ledger_accounts a ON a.id = e.account_id
            WHERE e.transaction_id IN (SELECT transaction_id FROM receivers WHERE n = 1)
              AND a.owner = 'platform' AND a.purpose = 'fees' AND e.effect = 'post'
            GROUP BY e.transaction_id
         ), inserted AS (
           INSERT INTO settlement_items (id, account_id, currency, ledger_transaction_id, ledger_account_id,
             transaction_type, source_type, source_id, description, gross, fee, net, ledger_created_at, occurred_at,
             available_on)
           SELECT 'sti_' || md5(m.transaction_id || '/' || m.account_id), m.owner, m.currency, m.transaction_id,
                  m.account_id, t.type, coalesce(t.source_type, p.source_type), coalesce(t.source_id, p.source_id),
                  coalesce(t.description, p.description), m.net + coalesce(f.fee, 0), coalesce(f.fee, 0), m.net,
                  m.created_at, m.created_at + make_interval(secs => $2::numeric / 1000),
                  date_trunc('day', (m.created_at + make_interval(secs => $2::numeric / 1000)) AT TIME ZONE 'UTC')
                    AT TIME ZONE 'UTC' + make_interval(days => coalesce(s.settlement_delay_days, $3))
             FROM moved m
             JOIN ledger_transactions t ON t.id = m.transaction_id
             LEFT JOIN ledger_transactions p ON p.id = t.parent_id
             LEFT JOIN fees f ON f.transaction_id = m.transaction_id
             LEFT JOIN payout_settings s ON s.account_id = m.owner
            WHERE t.type <> '${SETTLEMENT_TRANSACTION_TYPE}' AND m.net <> 0
           ON CONFLICT (ledger_transaction_id, ledger_account_id) DO NOTHING
           RETURNING 1
         )
         SELECT (SELECT count(*) FROM inserted) AS inserted, (SELECT max(created_at) FROM moved) AS until`,
        [since, offsetMs, defaultDelayDays],
      );
      const until = rows[0].until;
      if (until && until > since) {
        await manager.query(
          `INSERT INTO settlement_cursor (id, scanned_until) VALUES (true, $1)
           ON CONFLICT (id) DO UPDATE SET scanned_until = greatest(settlement_cursor.scanned_until, $1)`,
          [until],
        );
      }
      return Number(rows[0].inserted);
    });
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
