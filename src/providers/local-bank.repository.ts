import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type LocalBankTransferStatus = 'in_transit' | 'paid' | 'failed' | 'returned';

export interface LocalBankTransfer {
  id: string;
  idempotencyKey: string;
  payoutId: string;
  amount: bigint;
  currency: string;
  accountHolderName: string;
  accountNumber: string;
  routingNumber: string | null;
  status: LocalBankTransferStatus;
  failureCode: string | null;
  failureMessage: string | null;
  returnCode: string | null;
  settlesAt: Date;
  returnsAt: Date | null;
  paidAt: Date | null;
  failedAt: Date | null;
  returnedAt: Date | null;
  notifiedStatus: LocalBankTransferStatus | null;
  createdAt: Date;
}

interface Row {
  id: string;
  idempotency_key: string;
  payout_id: string;
  amount: string;
  currency: string;
  account_holder_name: string;
  account_number: string;
  routing_number: string | null;
  status: LocalBankTransferStatus;
  failure_code: string | null;
  failure_message: string | null;
  return_code: string | null;
  settles_at: Date;
  returns_at: Date | null;
  paid_at: Date | null;
  failed_at: Date | null;
  returned_at: Date | null;
  notified_status: LocalBankTransferStatus | null;
  created_at: Date;
}

function fromRow(row: Row): LocalBankTransfer {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    payoutId: row.payout_id,
    amount: BigInt(row.amount),
    currency: row.currency,
    accountHolderName: row.account_holder_name,
    accountNumber: row.account_number,
    routingNumber: row.routing_number,
    status: row.status,
    failureCode: row.failure_code,
    failureMessage: row.failure_message,
    returnCode: row.return_code,
    settlesAt: row.settles_at,
    returnsAt: row.returns_at,
    paidAt: row.paid_at,
    failedAt: row.failed_at,
    returnedAt: row.returned_at,
    notifiedStatus: row.notified_status,
    createdAt: row.created_at,
  };
}

/** The simulated bank's books. It is "outside" the platform: nothing here is written in a payout transaction. */
@Injectable()
export class LocalBankRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Inserts transfers, except those whose idempotency key the bank already has; returns the stored row of every
   * key, new or earlier. One statement for the whole batch.
   */
  async insertManyOnce(transfers: LocalBankTransfer[]): Promise<LocalBankTransfer[]> {
    if (transfers.length === 0) return [];
    const column = <T>(pick: (t: LocalBankTransfer) => T) => transfers.map(pick);
    const time = (value: Date | null) => (value ? value.toISOString() : null);
    const rows: Row[] = await this.dataSource.query(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::text[], $6::text[], $7::text[],
                              $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[],
                              $14::timestamptz[], $15::timestamptz[], $16::timestamptz[], $17::text[],
                              $18::timestamptz[])
           AS t(id, idempotency_key, payout_id, amount, currency, account_holder_name, account_number,
                routing_number, status, failure_code, failure_message, return_code, settles_at, returns_at, paid_at,
                failed_at, notified_status, created_at)
       ), inserted AS (
         INSERT INTO local_bank_transfers (id, idempotency_key, payout_id, amount, currency, account_holder_name,
           account_number, routing_number, status, failure_code, failure_message, return_code, settles_at, returns_at,
           paid_at, failed_at, notified_status, created_at)
         SELECT * FROM input
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING *
       )
       SELECT * FROM inserted
       UNION ALL
       SELECT l.* FROM local_bank_transfers l JOIN input i ON i.idempotency_key = l.idempotency_key`,
      [
        column((t) => t.id),
        column((t) => t.idempotencyKey),
        column((t) => t.payoutId),
        column((t) => t.amount.toString()),
        column((t) => t.currency),
        column((t) => t.accountHolderName),
        column((t) => t.accountNumber),
        column((t) => t.routingNumber),
        column((t) => t.status),
        column((t) => t.failureCode),
        column((t) => t.failureMessage),
        column((t) => t.returnCode),
        column((t) => time(t.settlesAt)),
        column((t) => time(t.returnsAt)),
        column((t) => time(t.paidAt)),
        column((t) => time(t.failedAt)),
        column((t) => t.notifiedStatus),
        column((t) => time(t.createdAt)),
      ],
    );
    // The second half of the union reads the table as it was before this statement: earlier transfers only.
    return rows.map(fromRow);
  }

  /** The bank's processing day: in-transit transfers due by `now` settle (or bounce), paid ones due to be returned are. */
  async advance(now: Date): Promise<number> {
    const [, settled] = (await this.dataSource.query(
      `UPDATE local_bank_transfers
          SET status = CASE WHEN failure_code IS NULL THEN 'paid' ELSE 'failed' END,
              paid_at = CASE WHEN failure_code IS NULL THEN settles_at END,
              failed_at = CASE WHEN failure_code IS NULL THEN NULL ELSE settles_at END
        WHERE status = 'in_transit' AND settles_at <= $1`,
      [now],
    )) as [unknown[], number];
    const [, returned] = (await this.dataSource.query(
      `UPDATE local_bank_transfers SET status = 'returned', returned_at = returns_at
        WHERE status = 'paid' AND returns_at IS NOT NULL AND returns_at <= $1`,
      [now],
    )) as [unknown[], number];
    return settled + returned;
  }

  /** Changes the platform has not been told about yet, oldest first. */
  async unnotified(limit: number): Promise<LocalBankTransfer[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT * FROM local_bank_transfers WHERE notified_status IS DISTINCT FROM status ORDER BY id LIMIT $1`,
      [limit],
    );
    return rows.map(fromRow);
  }

  async markNotified(id: string, status: LocalBankTransferStatus): Promise<void> {
    await this.dataSource.query(`UPDATE local_bank_transfers SET notified_status = $2 WHERE id = $1`, [id, status]);
  }

  /** Transfers with a money movement (paid or returned) inside [from, to). */
  async movedBetween(from: Date, to: Date): Promise<LocalBankTransfer[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT * FROM local_bank_transfers
        WHERE (paid_at >= $1 AND paid_at < $2) OR (returned_at >= $1 AND returned_at < $2)
        ORDER BY id`,
      [from, to],
    );
    return rows.map(fromRow);
  }
}
