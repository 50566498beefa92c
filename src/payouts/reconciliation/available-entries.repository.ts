import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AvailableEntry, SettlementBreakdown } from './balance-lines.js';

/**
 * A position in an account's entries: ledger order is (created_at, transaction_id, ordinal). created_at is kept as
 * Postgres text because a JS Date would drop its microseconds and misplace the position.
 */
export interface EntryPosition {
  createdAt: string;
  transactionId: string;
  ordinal: number;
}

export interface PositionedBalance {
  position: EntryPosition;
  /** The available balance (credits posted − debits posted − debits pending) right after the entry. */
  available: bigint;
}

interface EntryRow {
  transaction_id: string;
  ordinal: number;
  direction: 'debit' | 'credit';
  effect: 'hold' | 'release' | 'post';
  amount: string;
  created_at: Date;
  created_at_text: string;
  type: string;
  kind: string;
  source_type: string | null;
  source_id: string | null;
  description: string | null;
  business_at: Date | null;
}

const AVAILABLE_AFTER = `(e.resulting_credits_posted - e.resulting_debits_posted - e.resulting_debits_pending)::text`;

/**
 * Reads a receiver's `available` ledger account, entry by entry, with what each transaction was. Read-only
 * access to the ledger's tables; the business time of each line comes from the payouts module's own rows
 * (settlements, reserve releases, payout changes), since the ledger stamps its own clock.
 */
@Injectable()
export class AvailableEntriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async availableAccountId(accountId: string, currency: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM ledger_accounts WHERE owner = $1 AND purpose = 'available' AND currency = $2`,
      [accountId, currency],
    );
    return rows[0]?.id ?? null;
  }

  /** The entry a payout's hold made on the available account, and the one of the payout before it (if any). */
  async payoutBoundaries(
    ledgerAccountId: string,
    holdTransactionId: string,
  ): Promise<{ current: PositionedBalance; previous: PositionedBalance | null } | null> {
    const rows: Array<{
      created_at: string;
      transaction_id: string;
      ordinal: number;
      available: string;
      which: string;
    }> = await this.dataSource.query(
      `WITH current AS (
           SELECT e.created_at, e.transaction_id, e.ordinal, ${AVAILABLE_AFTER} AS available
             FROM ledger_entries e
            WHERE e.account_id = $1 AND e.transaction_id = $2 AND e.effect = 'hold'
         )
         SELECT c.created_at::text, c.transaction_id, c.ordinal, c.available, 'current' AS which FROM current c
         UNION ALL
         SELECT * FROM (
           SELECT e.created_at::text, e.transaction_id, e.ordinal, ${AVAILABLE_AFTER} AS available, 'previous' AS which
             FROM ledger_entries e
             JOIN payouts p ON p.hold_transaction_id = e.transaction_id
             JOIN current c ON (e.created_at, e.transaction_id, e.ordinal) < (c.created_at, c.transaction_id, c.ordinal)
            WHERE e.account_id = $1 AND e.effect = 'hold'
            ORDER BY e.created_at DESC, e.transaction_id DESC, e.ordinal DESC
            LIMIT 1
         ) previous`,
      [ledgerAccountId, holdTransactionId],
    );
    const toBalance = (row: (typeof rows)[number]): PositionedBalance => ({
      position: { createdAt: row.created_at, transactionId: row.transaction_id, ordinal: row.ordinal },
      available: BigInt(row.available),
    });
    const current = rows.find((row) => row.which === 'current');
    if (!current) return null;
    const previous = rows.find((row) => row.which === 'previous');
    return { current: toBalance(current), previous: previous ? toBalance(previous) : null };
  }

  /** The last entry at or before a ledger instant (for opening and closing balances of a period). */
  async balanceAt(ledgerAccountId: string, at: Date): Promise<PositionedBalance | null> {
    const rows: Array<{ created_at: string; transaction_id: string; ordinal: number; available: string }> =
      await this.dataSource.query(
        `SELECT e.created_at::text AS created_at, e.transaction_id, e.ordinal, ${AVAILABLE_AFTER} AS available
           FROM ledger_entries e
          WHERE e.account_id = $1 AND e.created_at < $2
          ORDER BY e.created_at DESC, e.transaction_id DESC, e.ordinal DESC
          LIMIT 1`,
        [ledgerAccountId, at],
      );
    if (rows.length === 0) return null;
    return {
      position: { createdAt: rows[0].created_at, transactionId: rows[0].transaction_id, ordinal: rows[0].ordinal },
      available: BigInt(rows[0].available),
    };
  }

  /**
   * Entries strictly after `after` (from the start when null) and at or before `until`, in ledger order, at most
   * `limit`; with the business time of the change each belongs to. Ledger ids looked up in settlements and
   * payouts are marked COLLATE "default" so those tables' indexes apply (see SettlementRepository).
   */
  async entriesBetween(
    ledgerAccountId: string,
    after: EntryPosition | null,
    until: EntryPosition | { createdBefore: Date },
    limit: number,
    offsetMs: number,
  ): Promise<Array<AvailableEntry & { position: EntryPosition }>> {
    const bounded = 'transactionId' in until;
    const rows: EntryRow[] = await this.dataSource.query(
      `SELECT e.transaction_id, e.ordinal, e.direction, e.effect, e.amount::text AS amount, e.created_at,
              e.created_at::text AS created_at_text, t.type, t.kind, t.source_type, t.source_id, t.description,
              coalesce(
                (SELECT s.created_at FROM settlements s WHERE s.ledger_transaction_id = e.transaction_id COLLATE "default"),
                (SELECT r.released_at FROM reserve_holds r WHERE r.release_transaction_id = e.transaction_id),
                (SELECT CASE WHEN t.kind = 'hold' THEN p.created_at
                             WHEN t.kind = 'void_pending' THEN coalesce(p.canceled_at, p.failed_at)
                             ELSE p.failed_at END
                   FROM payouts p WHERE p.id = t.source_id COLLATE "default" AND t.source_type = 'payout')
              ) AS business_at
         FROM ledger_entries e
         JOIN ledger_transactions t ON t.id = e.transaction_id
        WHERE e.account_id = $1
          AND ($2::text IS NULL OR (e.created_at, e.transaction_id, e.ordinal) > ($2::timestamptz, $3::text, $4::int))
          AND (CASE WHEN $5::boolean
                    THEN (e.created_at, e.transaction_id, e.ordinal) <= ($6::timestamptz, $7::text, $8::int)
                    ELSE e.created_at < $6::timestamptz END)
        ORDER BY e.created_at, e.transaction_id, e.ordinal
        LIMIT $9`,
      [
        ledgerAccountId,
        after?.createdAt ?? null,
        after?.transactionId ?? null,
        after?.ordinal ?? null,
        bounded,
        bounded ? until.createdAt : until.createdBefore.toISOString(),
        bounded ? until.transactionId : null,
        bounded ? until.ordinal : null,
        limit,
      ],
    );
    return rows.map((row) => ({
      position: { createdAt: row.created_at_text, transactionId: row.transaction_id, ordinal: row.ordinal },
      transactionId: row.transaction_id,
      direction: row.direction,
      effect: row.effect,
      amount: BigInt(row.amount),
      transactionType: row.type,
      transactionKind: row.kind,
      sourceType: row.source_type,
      sourceId: row.source_id,
      description: row.description,
      at: row.business_at ?? new Date(row.created_at.getTime() + offsetMs),
    }));
  }

  /** The items behind each settlement transaction. */
  async settlementBreakdowns(ledgerTransactionIds: string[]): Promise<Map<string, SettlementBreakdown>> {
    const breakdowns = new Map<string, SettlementBreakdown>();
    if (ledgerTransactionIds.length === 0) return breakdowns;
    const rows: Array<{
      ledger_transaction_id: string;
      settlement_id: string;
      reserve_amount: string;
      item_transaction_id: string | null;
      transaction_type: string | null;
      source_type: string | null;
      source_id: string | null;
      description: string | null;
      occurred_at: Date | null;
      available_on: Date | null;
      gross: string | null;
      fee: string | null;
      net: string | null;
    }> = await this.dataSource.query(
      `SELECT s.ledger_transaction_id, s.id AS settlement_id, s.reserve_amount::text AS reserve_amount,
              i.ledger_transaction_id AS item_transaction_id, i.transaction_type, i.source_type, i.source_id,
              i.description, i.occurred_at, i.available_on, i.gross::text AS gross, i.fee::text AS fee,
              i.net::text AS net
         FROM settlements s
         LEFT JOIN settlement_items i ON i.settlement_id = s.id
        WHERE s.ledger_transaction_id = ANY($1::text[])
        ORDER BY s.id, i.occurred_at, i.id`,
      [ledgerTransactionIds],
    );
    for (const row of rows) {
      let breakdown = breakdowns.get(row.ledger_transaction_id);
      if (!breakdown) {
        breakdown = { settlementId: row.settlement_id, reserveAmount: BigInt(row.reserve_amount), items: [] };
        breakdowns.set(row.ledger_transaction_id, breakdown);
      }
      if (row.item_transaction_id === null) continue;
      breakdown.items.push({
        transactionType: row.transaction_type!,
        sourceType: row.source_type,
        sourceId: row.source_id,
        description: row.description,
        ledgerTransactionId: row.item_transaction_id,
        occurredAt: row.occurred_at!,
        availableOn: row.available_on!,
        gross: BigInt(row.gross!),
        fee: BigInt(row.fee!),
        net: BigInt(row.net!),
      });
    }
    return breakdowns;
  }

  /** The payout's own ledger transactions: its hold, the hold's posting or void, its paid and return postings. */
  async payoutTransactions(payoutId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT t.id FROM payouts p
         JOIN ledger_transactions t
           ON t.id IN (p.hold_transaction_id, p.paid_transaction_id) OR t.parent_id = p.hold_transaction_id
              OR (t.reference_owner = 'platform' AND t.reference IN ('payout_return:' || p.id, 'payout_failed:' || p.id))
        WHERE p.id = $1`,
      [payoutId],
    );
    return rows.map((row) => row.id);
  }

  async payoutStatuses(payoutIds: string[]): Promise<Map<string, string>> {
    if (payoutIds.length === 0) return new Map();
    const rows: Array<{ id: string; status: string }> = await this.dataSource.query(
      `SELECT id, status FROM payouts WHERE id = ANY($1::text[])`,
      [payoutIds],
    );
    return new Map(rows.map((row) => [row.id, row.status]));
  }
}
