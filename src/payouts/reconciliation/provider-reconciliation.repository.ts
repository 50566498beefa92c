import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { MatchException } from './statement-matching.js';

export interface PayoutMovement {
  payoutId: string;
  accountId: string;
  currency: string;
  amount: bigint;
  status: string;
  returned: boolean;
  paidAt: Date | null;
  failedAt: Date | null;
  createdAt: Date;
  providerPayoutId: string | null;
  providerTransferId: string | null;
  providerAccountId: string | null;
  holdTransactionId: string;
  /** Ledger postings: money left (payout_paid) and came back (payout_return), with their amounts. */
  paidTransaction: { id: string; amount: bigint } | null;
  returnTransaction: { id: string; amount: bigint } | null;
}

export interface ExceptionRow {
  id: string;
  run_id: string;
  kind: string;
  account_id: string | null;
  payout_id: string | null;
  currency: string | null;
  line_type: string;
  provider_reference: string | null;
  ledger_reference: string | null;
  expected_amount: string | null;
  actual_amount: string | null;
  status: 'open' | 'resolved';
  resolution_note: string | null;
  created_at: Date;
  resolved_at: Date | null;
}

/** What a ledger transaction moved out of the payout's in-transit account, or into its available account. */
const LEG_TOTAL = (alias: string, side: 'd' | 'c', account: string) =>
  `(SELECT sum((leg->>'a')::numeric)::text FROM jsonb_array_elements(${alias}.legs) leg WHERE leg->>'${side}' = ${account}.id)`;

@Injectable()
export class ProviderReconciliationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Payouts of the rail with a movement (created, paid, failed) inside [from, to) of business time. */
  async payoutMovements(provider: string, from: Date, to: Date): Promise<PayoutMovement[]> {
    const rows: Array<{
      id: string;
      account_id: string;
      currency: string;
      amount: string;
      status: string;
      returned: boolean;
      paid_at: Date | null;
      failed_at: Date | null;
      created_at: Date;
      provider_payout_id: string | null;
      provider_transfer_id: string | null;
      provider_account_id: string | null;
      hold_transaction_id: string;
      paid_id: string | null;
      paid_amount: string | null;
      return_id: string | null;
      return_amount: string | null;
    }> = await this.dataSource.query(
      `SELECT p.id, p.account_id, p.currency, p.amount::text AS amount, p.status, p.returned, p.paid_at, p.failed_at,
              p.created_at, p.provider_payout_id, p.provider_transfer_id, a.provider_account_id, p.hold_transaction_id,
              paid.id AS paid_id, ${LEG_TOTAL('paid', 'd', 'transit')} AS paid_amount,
              ret.id AS return_id, ${LEG_TOTAL('ret', 'c', 'available')} AS return_amount
         FROM payouts p
         JOIN accounts a ON a.id = p.account_id
         LEFT JOIN ledger_accounts transit
           ON transit.owner = p.account_id AND transit.purpose = 'payout_in_transit' AND transit.currency = p.currency
         LEFT JOIN ledger_accounts available
           ON available.owner = p.account_id AND available.purpose = 'available' AND available.currency = p.currency
         LEFT JOIN ledger_transactions paid ON paid.id = p.paid_transaction_id
         LEFT JOIN ledger_transactions ret
           ON ret.reference_owner = 'platform' AND ret.reference = 'payout_return:' || p.id
        WHERE p.provider = $1
          AND ((p.created_at >= $2 AND p.created_at < $3) OR (p.paid_at >= $2 AND p.paid_at < $3)
               OR (p.failed_at >= $2 AND p.failed_at < $3))
        ORDER BY p.id`,
      [provider, from, to],
    );
    return rows.map((row) => ({
      payoutId: row.id,
      accountId: row.account_id,
      currency: row.currency,
      amount: BigInt(row.amount),
      status: row.status,
      returned: row.returned,
      paidAt: row.paid_at,
      failedAt: row.failed_at,
      createdAt: row.created_at,
      providerPayoutId: row.provider_payout_id,
      providerTransferId: row.provider_transfer_id,
      providerAccountId: row.provider_account_id,
      holdTransactionId: row.hold_transaction_id,
      paidTransaction: row.paid_id ? { id: row.paid_id, amount: BigInt(row.paid_amount!) } : null,
      returnTransaction: row.return_id ? { id: row.return_id, amount: BigInt(row.return_amount!) } : null,
    }));
  }

  async insertRun(
    manager: EntityManager,
    run: {
      id: string;
      provider: string;
      source: string;
      periodStart: Date;
      periodEnd: Date;
      providerLines: number;
      ledgerLines: number;
      matched: number;
      exceptions: number;
      createdAt: Date;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO reconciliation_runs (id, provider, source, period_start, period_end, provider_lines, ledger_lines,
         matched, exceptions, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        run.id,
        run.provider,
        run.source,
        run.periodStart,
        run.periodEnd,
        run.providerLines,
        run.ledgerLines,
        run.matched,
        run.exceptions,
        run.createdAt,
      ],
    );
  }

  /**
   * Records exceptions; one already recorded by an earlier run (same kind, payout or line, and type) is not
   * recorded again. Returns the new rows.
   */
  async insertExceptions(
    manager: EntityManager,
    runId: string,
    exceptions: Array<MatchException & { id: string; dedupeKey: string }>,
    now: Date,
  ): Promise<ExceptionRow[]> {
    const inserted: ExceptionRow[] = [];
    for (const e of exceptions) {
      const rows: ExceptionRow[] = await manager.query(
        `INSERT INTO reconciliation_exceptions (id, run_id, kind, account_id, payout_id, currency, line_type,
           provider_reference, ledger_reference, expected_amount, actual_amount, dedupe_key, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (dedupe_key) DO NOTHING
         RETURNING *`,
        [
          e.id,
          runId,
          e.kind,
          e.accountId,
          e.payoutId,
          e.currency,
          e.type,
          e.providerReference,
          e.ledgerReference,
          e.expectedAmount?.toString() ?? null,
          e.actualAmount?.toString() ?? null,
          e.dedupeKey,
          now,
        ],
      );
      inserted.push(...rows);
    }
    return inserted;
  }

  listExceptions(filter: { status?: string; limit: number; startingAfter?: string }): Promise<ExceptionRow[]> {
    return this.dataSource.query(
      `SELECT * FROM reconciliation_exceptions
        WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR id < $2)
        ORDER BY id DESC LIMIT $3`,
      [filter.status ?? null, filter.startingAfter ?? null, filter.limit + 1],
    );
  }

  async resolveException(manager: EntityManager, id: string, note: string, now: Date): Promise<ExceptionRow | null> {
    const [rows] = (await manager.query(
      `UPDATE reconciliation_exceptions SET status = 'resolved', resolution_note = $2, resolved_at = $3
        WHERE id = $1 RETURNING *`,
      [id, note, now],
    )) as [ExceptionRow[], number];
    return rows[0] ?? null;
  }
}
