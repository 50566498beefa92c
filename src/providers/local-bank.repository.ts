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

  /** Inserts the transfer unless one with the same idempotency key exists; returns whichever is stored. */
  async insertOnce(transfer: LocalBankTransfer): Promise<LocalBankTransfer> {
    const rows: Row[] = await this.dataSource.query(
      `WITH inserted AS (
         INSERT INTO local_bank_transfers (id, idempotency_key, payout_id, amount, currency, account_holder_name,
           account_number, routing_number, status, failure_code, failure_message, return_code, settles_at, returns_at,
           paid_at, failed_at, notified_status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING *)
       SELECT * FROM inserted
       UNION ALL
       SELECT * FROM local_bank_transfers WHERE idempotency_key = $2 AND NOT EXISTS (SELECT 1 FROM inserted)`,
      [
        transfer.id,
        transfer.idempotencyKey,
        transfer.payoutId,
        transfer.amount.toString(),
        transfer.currency,
        transfer.accountHolderName,
        transfer.accountNumber,
        transfer.routingNumber,
        transfer.status,
        transfer.failureCode,
        transfer.failureMessage,
        transfer.returnCode,
        transfer.settlesAt,
        transfer.returnsAt,
        transfer.paidAt,
        transfer.failedAt,
        transfer.notifiedStatus,
        transfer.createdAt,
      ],
    );
    return fromRow(rows[0]);
  }

  async findByIdempotencyKey(key: string): Promise<LocalBankTransfer | null> {
    const rows: Row[] = await this.dataSource.query(`SELECT * FROM local_bank_transfers WHERE idempotency_key = $1`, [
      key,
    ]);
    return rows.length ? fromRow(rows[0]) : null;
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
