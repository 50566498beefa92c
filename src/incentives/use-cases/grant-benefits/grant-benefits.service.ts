import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { newId } from '../../../common/ids.js';
import { LedgerService } from '../../../ledger/ledger.service.js';
import type { LedgerAccountKey } from '../../../ledger/ledger.types.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import type { EventInput } from '../../../webhooks/event-recorder.js';
import { cutBenefit } from '../../benefit-math.js';
import { IncentiveBenefit } from '../../incentive-benefit.entity.js';
import type { BenefitType } from '../../incentive-benefit.entity.js';
import { IncentiveBenefitsRepository, monthlyKeyOf } from '../../incentive-benefits.repository.js';
import type { MonthlyKey } from '../../incentive-benefits.repository.js';
import { remainingBudget } from '../../incentive-program.entity.js';
import { IncentiveProgramsRepository } from '../../incentive-programs.repository.js';
import { presentAdminProgram, presentBenefit } from '../../incentive.presenter.js';
import { budgetAccount, PLATFORM_OWNER, settleBudgetNotifications } from '../../program-budget.js';

/** Ledger transaction type of each benefit. */
const BENEFIT_LEDGER_TYPES: Record<BenefitType, string> = {
  token_subsidy: 'incentive_subsidy',
  fee_rebate: 'incentive_fee_rebate',
  signup_credit: 'incentive_signup_credit',
};

export interface BenefitRequest {
  programId: string;
  /** The beneficiary. */
  accountId: string;
  type: BenefitType;
  currency: string;
  /** What the terms promise, nanos, > 0. */
  requested: bigint;
  /** What the benefit is computed on (refunds return the benefit pro rata of it), nanos, > 0. */
  basis: bigint;
  sourceType: string;
  sourceId: string;
  occurredAt: Date;
  /** Token subsidies of a capped program: the UTC month ('YYYY-MM-01') the cap is counted in. */
  capMonth: string | null;
  counterpartyAccountId: string | null;
  /** The ledger account the benefit is paid into. */
  creditTo: LedgerAccountKey;
}

function benefitReference(type: BenefitType, sourceType: string, sourceId: string): string {
  return `incentive:${type}:${sourceType}:${sourceId}`;
}

export function sourceKeyOf(key: { type: BenefitType; sourceType: string; sourceId: string }): string {
  return `${key.type}|${key.sourceType}|${key.sourceId}`;
}

/**
 * The one place that pays benefits out of program budgets. Inside the caller's transaction it locks the
 * monthly-cap counters and then the program rows (each set in one global order, so concurrent batches cannot
 * deadlock), cuts every benefit to what the cap and the budget still allow, posts one ledger transaction per
 * benefit (budget → beneficiary) and moves the counters. Because the counters move under the row lock in the
 * same transaction as the postings, concurrent charges see each other's spending: the budget pays exactly what
 * it holds and not a nano more, and the ledger floor of 0 on the budget account stands behind it.
 *
 * A source already paid (a retried batch) gets its first benefit back and pays nothing again.
 */
@Injectable()
export class GrantBenefitsService {
  constructor(
    private readonly programs: IncentiveProgramsRepository,
    private readonly benefits: IncentiveBenefitsRepository,
    private readonly ledger: LedgerService,
    private readonly events: EventRecorder,
  ) {}

  /** Returns the benefit paid per request (keyed by sourceKeyOf); requests that got nothing are absent. */
  async grant(manager: EntityManager, requests: BenefitRequest[]): Promise<Map<string, IncentiveBenefit>> {
    const result = new Map<string, IncentiveBenefit>();
    const wanted = requests.filter((request) => request.requested > 0n && request.basis > 0n);
    if (wanted.length === 0) return result;

    for (const existing of await this.benefits.findBySources(manager, wanted)) {
      result.set(sourceKeyOf(existing), existing);
    }
    const seen = new Set(result.keys());
    const fresh = wanted.filter((request) => {
      const key = sourceKeyOf(request);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (fresh.length === 0) return result;

    const monthlyKeys = fresh.filter((r) => r.capMonth !== null).map((r) => monthlyKeyFor(r));
    const monthlyUsed = await this.benefits.lockMonthly(manager, monthlyKeys);
    const programs = await this.programs.lockMany(
      manager,
      fresh.map((r) => r.programId),
    );

    const granted: Array<{ request: BenefitRequest; amount: bigint }> = [];
    for (const request of fresh) {
      const program = programs.get(request.programId);
      // Re-read under the lock: a program the operator paused or ended since the caller picked it pays nothing.
      if (!program || program.status !== 'active' || program.currency !== request.currency) continue;
      let headroom: bigint | null = null;
      if (request.capMonth !== null && program.monthlyCapPerAccount !== null) {
        headroom = program.monthlyCapPerAccount - (monthlyUsed.get(monthlyKeyOf(monthlyKeyFor(request))) ?? 0n);
      }
      const amount = cutBenefit(request.requested, remainingBudget(program), headroom);
      if (amount === 0n) continue;
      program.spent += amount;
      if (request.capMonth !== null) {
        const key = monthlyKeyOf(monthlyKeyFor(request));
        monthlyUsed.set(key, (monthlyUsed.get(key) ?? 0n) + amount);
      }
      granted.push({ request, amount });
    }

    const rows: IncentiveBenefit[] = [];
    for (const { request, amount } of granted) {
      const program = programs.get(request.programId)!;
      const id = newId('ben');
      const transaction = await this.ledger.post(
        {
          reference: benefitReference(request.type, request.sourceType, request.sourceId),
          type: BENEFIT_LEDGER_TYPES[request.type],
          sourceType: request.sourceType,
          sourceId: request.sourceId,
          description: `${program.name}: ${request.type.replace('_', ' ')}`,
          metadata: { incentive_program: program.id, incentive_benefit: id, beneficiary: request.accountId },
          legs: [{ debit: budgetAccount(program), credit: request.creditTo, amount }],
        },
        manager,
      );
      rows.push(
        Object.assign(new IncentiveBenefit(), {
          id,
          programId: program.id,
          accountId: request.accountId,
          type: request.type,
          currency: request.currency,
          amount,
          requested: request.requested,
          basis: request.basis,
          returned: 0n,
          basisRefunded: 0n,
          sourceType: request.sourceType,
          sourceId: request.sourceId,
          counterpartyAccountId: request.counterpartyAccountId,
          capMonth: request.capMonth,
          ledgerTransactionId: transaction.id,
          occurredAt: request.occurredAt,
          bookedAt: transaction.createdAt,
          createdAt: new Date(),
        } satisfies IncentiveBenefit),
      );
    }
    await this.benefits.insertMany(manager, rows);

    const monthlyDeltas = new Map<string, { key: MonthlyKey; amount: bigint }>();
    for (const { request, amount } of granted) {
      if (request.capMonth === null) continue;
      const key = monthlyKeyFor(request);
      const entry = monthlyDeltas.get(monthlyKeyOf(key)) ?? { key, amount: 0n };
      entry.amount += amount;
      monthlyDeltas.set(monthlyKeyOf(key), entry);
    }
    for (const { key, amount } of monthlyDeltas.values()) await this.benefits.addMonthly(manager, key, amount);

    const events: EventInput[] = [];
    for (const program of programs.values()) {
      if (!granted.some((g) => g.request.programId === program.id)) continue;
      for (const type of settleBudgetNotifications(program, true)) {
        events.push({ accountId: PLATFORM_OWNER, type, object: presentAdminProgram(program) });
      }
      await this.programs.saveBudget(manager, program);
    }
    for (const row of rows) {
      events.push({ accountId: row.accountId, type: 'incentive_benefit.granted', object: presentBenefit(row) });
      result.set(sourceKeyOf(row), row);
    }
    await this.events.recordMany(manager, events);
    return result;
  }
}

function monthlyKeyFor(request: BenefitRequest): MonthlyKey {
  return { programId: request.programId, accountId: request.accountId, month: request.capMonth! };
}
