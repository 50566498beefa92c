import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, LessThan, Repository } from 'typeorm';
import { BenefitReturn } from './benefit-return.entity.js';
import { IncentiveBenefit } from './incentive-benefit.entity.js';
import type { BenefitType } from './incentive-benefit.entity.js';

export interface SourceKey {
  sourceType: string;
  sourceId: string;
  type: BenefitType;
}

export interface MonthlyKey {
  programId: string;
  accountId: string;
  month: string;
}

export interface PeriodTotals {
  funded: bigint;
  withdrawn: bigint;
  granted: bigint;
  returned: bigint;
}

export interface ReportRow {
  key: string;
  benefits: number;
  granted: bigint;
  returned: bigint;
}

/** [from, to): instants bounding a report period; null = unbounded. */
export interface Period {
  from: Date | null;
  to: Date;
}

@Injectable()
export class IncentiveBenefitsRepository {
  constructor(@InjectRepository(IncentiveBenefit) private readonly benefits: Repository<IncentiveBenefit>) {}

  async insertMany(manager: EntityManager, benefits: IncentiveBenefit[]): Promise<void> {
    if (benefits.length > 0) await manager.insert(IncentiveBenefit, benefits);
  }

  /** Benefits already booked for these sources (a retried batch must not pay twice). */
  async findBySources(manager: EntityManager, keys: SourceKey[]): Promise<IncentiveBenefit[]> {
    if (keys.length === 0) return [];
    const ids: string[] = (
      await manager.query(
        `SELECT b.id FROM incentive_benefits b
           JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(source_type, source_id, type)
             ON b.source_type = k.source_type AND b.source_id = k.source_id AND b.type = k.type`,
        [keys.map((k) => k.sourceType), keys.map((k) => k.sourceId), keys.map((k) => k.type)],
      )
    ).map((row: { id: string }) => row.id);
    if (ids.length === 0) return [];
    return manager.createQueryBuilder(IncentiveBenefit, 'b').where('b.id = ANY(:ids)', { ids }).getMany();
  }

  /** Locks the benefits a refund of the source acts on, oldest first. */
  lockBySource(manager: EntityManager, sourceType: string, sourceId: string): Promise<IncentiveBenefit[]> {
    return manager.find(IncentiveBenefit, {
      where: { sourceType, sourceId },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  async recordReturn(manager: EntityManager, benefit: IncentiveBenefit, entry: BenefitReturn): Promise<boolean> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO incentive_benefit_returns (id, benefit_id, program_id, account_id, currency, amount,
         basis_refunded, reason_type, reason_id, ledger_transaction_id, booked_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (benefit_id, reason_type, reason_id) DO NOTHING
       RETURNING id`,
      [
        entry.id,
        entry.benefitId,
        entry.programId,
        entry.accountId,
        entry.currency,
        entry.amount.toString(),
        entry.basisRefunded.toString(),
        entry.reasonType,
        entry.reasonId,
        entry.ledgerTransactionId,
        entry.bookedAt,
        entry.createdAt,
      ],
    );
    if (inserted.length === 0) return false;
    await manager.query(
      `UPDATE incentive_benefits SET returned = returned + $2, basis_refunded = basis_refunded + $3 WHERE id = $1`,
      [benefit.id, entry.amount.toString(), entry.basisRefunded.toString()],
    );
    return true;
  }

  /** Whether this refund was already applied to the benefit. */
  async hasReturn(manager: EntityManager, benefitId: string, reasonType: string, reasonId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM incentive_benefit_returns WHERE benefit_id = $1 AND reason_type = $2 AND reason_id = $3`,
      [benefitId, reasonType, reasonId],
    );
    return rows.length > 0;
  }

  /**
   * Locks the monthly-cap counters of these (program, account, month) keys, creating missing ones, in one
   * global order (program, account, month), and returns what each has used.
   */
  async lockMonthly(manager: EntityManager, keys: MonthlyKey[]): Promise<Map<string, bigint>> {
    const unique = [...new Map(keys.map((k) => [monthlyKeyOf(k), k])).values()].sort((a, b) =>
      monthlyKeyOf(a) < monthlyKeyOf(b) ? -1 : 1,
    );
    const used = new Map<string, bigint>();
    if (unique.length === 0) return used;
    const params = [unique.map((k) => k.programId), unique.map((k) => k.accountId), unique.map((k) => k.month)];
    await manager.query(
      `INSERT INTO incentive_monthly_subsidies (program_id, account_id, month)
       SELECT * FROM unnest($1::text[], $2::text[], $3::date[])
       ON CONFLICT DO NOTHING`,
      params,
    );
    const rows: Array<{ program_id: string; account_id: string; month: string; amount: string }> = await manager.query(
      `SELECT m.program_id, m.account_id, to_char(m.month, 'YYYY-MM-DD') AS month, m.amount
           FROM incentive_monthly_subsidies m
           JOIN unnest($1::text[], $2::text[], $3::date[]) AS k(program_id, account_id, month)
             ON m.program_id = k.program_id AND m.account_id = k.account_id AND m.month = k.month
          ORDER BY m.program_id, m.account_id, m.month
          FOR UPDATE OF m`,
      params,
    );
    for (const row of rows) {
      used.set(
        monthlyKeyOf({ programId: row.program_id, accountId: row.account_id, month: row.month }),
        BigInt(row.amount),
      );
    }
    return used;
  }

  async addMonthly(manager: EntityManager, key: MonthlyKey, delta: bigint): Promise<void> {
    if (delta === 0n) return;
    await manager.query(
      `UPDATE incentive_monthly_subsidies SET amount = amount + $4
        WHERE program_id = $1 AND account_id = $2 AND month = $3`,
      [key.programId, key.accountId, key.month, delta.toString()],
    );
  }

  listForAccount(
    accountId: string,
    limit: number,
    programId?: string,
    startingAfter?: string,
  ): Promise<IncentiveBenefit[]> {
    const where: FindOptionsWhere<IncentiveBenefit> = { accountId };
    if (programId) where.programId = programId;
    if (startingAfter) where.id = LessThan(startingAfter);
    return this.benefits.find({ where, order: { id: 'DESC' }, take: limit + 1 });
  }

  async periodTotals(programId: string, period: Period): Promise<PeriodTotals> {
    const [row]: Array<Record<keyof PeriodTotals, string>> = await this.benefits.query(
      `SELECT
         (SELECT COALESCE(SUM(amount), 0) FROM incentive_budget_movements
           WHERE program_id = $1 AND type = 'fund' AND ($2::timestamptz IS NULL OR booked_at >= $2) AND booked_at < $3)
           AS funded,
         (SELECT COALESCE(SUM(amount), 0) FROM incentive_budget_movements
           WHERE program_id = $1 AND type = 'withdraw' AND ($2::timestamptz IS NULL OR booked_at >= $2)
             AND booked_at < $3) AS withdrawn,
         (SELECT COALESCE(SUM(amount), 0) FROM incentive_benefits
           WHERE program_id = $1 AND ($2::timestamptz IS NULL OR booked_at >= $2) AND booked_at < $3) AS granted,
         (SELECT COALESCE(SUM(amount), 0) FROM incentive_benefit_returns
           WHERE program_id = $1 AND ($2::timestamptz IS NULL OR booked_at >= $2) AND booked_at < $3) AS returned`,
      [programId, period.from, period.to],
    );
    return {
      funded: BigInt(row.funded),
      withdrawn: BigInt(row.withdrawn),
      granted: BigInt(row.granted),
      returned: BigInt(row.returned),
    };
  }

  async beneficiaries(programId: string, period: Period): Promise<number> {
    const [row]: Array<{ count: string }> = await this.benefits.query(
      `SELECT COUNT(DISTINCT account_id) AS count FROM incentive_benefits
        WHERE program_id = $1 AND ($2::timestamptz IS NULL OR booked_at >= $2) AND booked_at < $3`,
      [programId, period.from, period.to],
    );
    return Number(row.count);
  }

  /** Granted and returned amounts per UTC booking day or per beneficiary, ordered by that key. */
  async breakdown(programId: string, period: Period, groupBy: 'day' | 'account'): Promise<ReportRow[]> {
    const key = groupBy === 'day' ? `to_char(booked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')` : 'account_id';
    const rows: Array<{ key: string; benefits: string; granted: string; returned: string }> = await this.benefits.query(
      `SELECT key, SUM(benefits) AS benefits, SUM(granted) AS granted, SUM(returned) AS returned FROM (
           SELECT ${key} AS key, COUNT(*) AS benefits, SUM(amount) AS granted, 0 AS returned
             FROM incentive_benefits
            WHERE program_id = $1 AND ($2::timestamptz IS NULL OR booked_at >= $2) AND booked_at < $3
            GROUP BY 1
           UNION ALL
           SELECT ${key} AS key, 0, 0, SUM(amount)
             FROM incentive_benefit_returns
            WHERE program_id = $1 AND ($2::timestamptz IS NULL OR booked_at >= $2) AND booked_at < $3
            GROUP BY 1
         ) t GROUP BY key ORDER BY key`,
      [programId, period.from, period.to],
    );
    return rows.map((row) => ({
      key: row.key,
      benefits: Number(row.benefits),
      granted: BigInt(row.granted),
      returned: BigInt(row.returned),
    }));
  }
}

export function monthlyKeyOf(key: MonthlyKey): string {
  return `${key.programId}|${key.accountId}|${key.month}`;
}
