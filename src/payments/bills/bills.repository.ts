import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, Repository } from 'typeorm';
import { Payment } from '../payment.entity.js';
import type { BillGroup } from './bill.dto.js';

export interface BillRow {
  key: string | null;
  currency: string;
  paymentsCount: number;
  amount: bigint;
  refundsCount: number;
  refunded: bigint;
}

export interface AttemptTotalRow {
  currency: string;
  count: number;
  amount: bigint;
}

/** The SQL expression naming a bill line, for a payment `p` whose money moved at `at`. */
function groupKey(group: BillGroup, at: string): string {
  switch (group) {
    case 'agent':
      return 'p.agent_id';
    case 'payee':
      return 'p.receiver_account_id';
    case 'mandate':
      return 'p.mandate_id';
    case 'day':
      return `to_char(${at} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;
  }
}

@Injectable()
export class BillsRepository {
  constructor(@InjectRepository(Payment) private readonly payments: Repository<Payment>) {}

  /**
   * Money that left (payments, when they succeeded) and came back (refunds, when made) in [from, to): exactly
   * the wallet's ledger movements for payments in that period.
   */
  async lines(payerAccountId: string, group: BillGroup, from: Date, to: Date): Promise<BillRow[]> {
    const rows: Array<{
      key: string | null;
      currency: string;
      payments_count: string;
      amount: string;
      refunds_count: string;
      refunded: string;
    }> = await this.payments.manager.query(
      `SELECT key, currency, sum(payments_count) AS payments_count, sum(amount) AS amount,
              sum(refunds_count) AS refunds_count, sum(refunded) AS refunded
         FROM (
           SELECT ${groupKey(group, 'p.succeeded_at')} AS key, p.currency, count(*) AS payments_count,
                  sum(p.amount) AS amount, 0 AS refunds_count, 0 AS refunded
             FROM payments p
            WHERE p.payer_account_id = $1 AND p.succeeded_at >= $2 AND p.succeeded_at < $3
            GROUP BY 1, 2
           UNION ALL
           SELECT ${groupKey(group, 'r.created_at')} AS key, r.currency, 0, 0, count(*), sum(r.amount)
             FROM refunds r JOIN payments p ON p.id = r.payment_id
            WHERE r.payer_account_id = $1 AND r.created_at >= $2 AND r.created_at < $3
            GROUP BY 1, 2
         ) moved
        GROUP BY key, currency
        ORDER BY key NULLS FIRST, currency`,
      [payerAccountId, from, to],
    );
    return rows.map((row) => ({
      key: row.key,
      currency: row.currency,
      paymentsCount: Number(row.payments_count),
      amount: BigInt(row.amount),
      refundsCount: Number(row.refunds_count),
      refunded: BigInt(row.refunded),
    }));
  }

  async attemptTotals(
    payerAccountId: string,
    status: 'failed' | 'requires_confirmation',
    from: Date,
    to: Date,
  ): Promise<AttemptTotalRow[]> {
    const rows: Array<{ currency: string; count: string; amount: string }> = await this.payments.manager.query(
      `SELECT currency, count(*) AS count, sum(amount) AS amount FROM payments
        WHERE payer_account_id = $1 AND status = $2 AND created_at >= $3 AND created_at < $4
        GROUP BY currency ORDER BY currency`,
      [payerAccountId, status, from, to],
    );
    return rows.map((row) => ({ currency: row.currency, count: Number(row.count), amount: BigInt(row.amount) }));
  }

  latestAttempts(
    payerAccountId: string,
    status: 'failed' | 'requires_confirmation',
    from: Date,
    to: Date,
    limit: number,
  ): Promise<Payment[]> {
    return this.payments.find({
      where: { payerAccountId, status, createdAt: Between(from, new Date(to.getTime() - 1)) },
      order: { id: 'DESC' },
      take: limit,
    });
  }
}
