import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WEEKDAYS } from './payout-schedule.js';
import type { PayoutDestination } from './payout-settings.entity.js';

export interface PayoutCandidate {
  accountId: string;
  currency: string;
  available: bigint;
  minimumAmount: bigint;
  minimumCurrency: string | null;
  destination: PayoutDestination | null;
}

/**
 * Finds the receivers a scheduled run pays on a given day, in bulk (a run may cover tens of thousands): onboarded
 * on this rail, payouts enabled, a schedule that falls on the day, not paused by a failed payout, a destination
 * when the rail needs one, a positive available balance, no negative pending balance in that currency, and no
 * payout yet for that day. The minimum and the one-minor-unit floor are applied by the caller, which knows currency
 * exponents.
 */
@Injectable()
export class PayoutScheduleRepository {
  constructor(private readonly dataSource: DataSource) {}

  async dueOn(
    day: Date,
    provider: string,
    after: { accountId: string; currency: string },
    limit: number,
  ): Promise<PayoutCandidate[]> {
    const lastDayOfMonth = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 0)).getUTCDate();
    const rows: Array<{
      account_id: string;
      currency: string;
      available: string;
      minimum_amount: string | null;
      minimum_currency: string | null;
      destination: PayoutDestination | null;
    }> = await this.dataSource.query(
      `SELECT a.id AS account_id, la.currency,
              (b.credits_posted - b.debits_posted - b.debits_pending)::text AS available,
              s.minimum_amount::text AS minimum_amount, s.minimum_currency, s.destination
         FROM accounts a
         LEFT JOIN payout_settings s ON s.account_id = a.id
         JOIN ledger_accounts la ON la.owner = a.id AND la.purpose = 'available'
         JOIN ledger_balances b ON b.account_id = la.id
        WHERE (a.id, la.currency) > ($5, $7) AND a.status = 'active' AND a.payouts_enabled
          AND s.paused_reason IS NULL
          AND a.provider = $4
          AND ($4 <> 'local' OR s.destination->>'type' = 'bank_account')
          AND (s.interval IS NULL OR s.interval = 'daily'
               OR (s.interval = 'weekly' AND s.weekly_anchor = $2)
               OR (s.interval = 'monthly' AND least(s.monthly_anchor, $3) = extract(day FROM $1::date)))
          AND b.credits_posted - b.debits_posted - b.debits_pending > 0
          AND NOT EXISTS (
            SELECT 1 FROM ledger_accounts pa JOIN ledger_balances pb ON pb.account_id = pa.id
             WHERE pa.owner = a.id AND pa.purpose = 'pending' AND pa.currency = la.currency
             GROUP BY pa.id HAVING sum(pb.credits_posted - pb.debits_posted) < 0)
          AND NOT EXISTS (
            SELECT 1 FROM payouts p
             WHERE p.account_id = a.id AND p.currency = la.currency AND p.automatic AND p.scheduled_for = $1::date)
        ORDER BY a.id, la.currency
        LIMIT $6`,
      [
        day.toISOString().slice(0, 10),
        WEEKDAYS[day.getUTCDay()],
        lastDayOfMonth,
        provider,
        after.accountId,
        limit,
        after.currency,
      ],
    );
    return rows.map((row) => ({
      accountId: row.account_id,
      currency: row.currency,
      available: BigInt(row.available),
      minimumAmount: BigInt(row.minimum_amount ?? '0'),
      minimumCurrency: row.minimum_currency,
      destination: row.destination,
    }));
  }
}
