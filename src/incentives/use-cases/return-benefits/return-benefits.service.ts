import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { newId } from '../../../common/ids.js';
import { LedgerService } from '../../../ledger/ledger.service.js';
import type { LedgerAccountKey } from '../../../ledger/ledger.types.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import type { EventInput } from '../../../webhooks/event-recorder.js';
import { returnShare } from '../../benefit-math.js';
import { BenefitReturn } from '../../benefit-return.entity.js';
import type { IncentiveBenefit } from '../../incentive-benefit.entity.js';
import { IncentiveBenefitsRepository } from '../../incentive-benefits.repository.js';
import { IncentiveProgramsRepository } from '../../incentive-programs.repository.js';
import { presentBenefit } from '../../incentive.presenter.js';
import { budgetAccount, settleBudgetNotifications } from '../../program-budget.js';

export interface BenefitReturnInput {
  /** The charge that earned the benefits (usage event, payment). */
  sourceType: string;
  sourceId: string;
  /** How much of the charge's amount this refund gives back, nanos, > 0. */
  refundedAmount: bigint;
  /** The refund (or reversal) causing the return; one return per benefit and reason, so retries are no-ops. */
  reasonType: string;
  reasonId: string;
  /**
   * The ledger account that gives a benefit's share back (where the benefit went: the payer's wallet, the
   * receiver's pending balance); null leaves that benefit alone.
   */
  returnFrom: (benefit: IncentiveBenefit) => LedgerAccountKey | null;
}

/**
 * Gives the budget back its share of the benefits of a refunded charge, in proportion to the refunded amount
 * (cumulative, so partial refunds never drift and a full refund returns the whole benefit). The program's spent
 * figure and the beneficiary's monthly-cap usage go down by the same amount. Runs in the refund's transaction.
 */
@Injectable()
export class ReturnBenefitsService {
  constructor(
    private readonly programs: IncentiveProgramsRepository,
    private readonly benefits: IncentiveBenefitsRepository,
    private readonly ledger: LedgerService,
    private readonly events: EventRecorder,
  ) {}

  /** Returns the total given back to budgets. */
  async returnFor(manager: EntityManager, input: BenefitReturnInput): Promise<bigint> {
    if (input.refundedAmount <= 0n) return 0n;
    const candidates = (await this.benefits.lockBySource(manager, input.sourceType, input.sourceId)).filter(
      (benefit) => input.returnFrom(benefit) !== null,
    );
    const pending: IncentiveBenefit[] = [];
    for (const benefit of candidates) {
      if (!(await this.benefits.hasReturn(manager, benefit.id, input.reasonType, input.reasonId))) {
        pending.push(benefit);
      }
    }
    if (pending.length === 0) return 0n;

    const monthly = pending
      .filter((benefit) => benefit.capMonth !== null)
      .map((benefit) => ({ programId: benefit.programId, accountId: benefit.accountId, month: benefit.capMonth! }));
    await this.benefits.lockMonthly(manager, monthly);
    const programs = await this.programs.lockMany(
      manager,
      pending.map((benefit) => benefit.programId),
    );

    let total = 0n;
    const events: EventInput[] = [];
    for (const benefit of pending) {
      const program = programs.get(benefit.programId)!;
      const basisRefunded = minBigint(input.refundedAmount, benefit.basis - benefit.basisRefunded);
      if (basisRefunded <= 0n) continue;
      const amount = returnShare(benefit, benefit.basisRefunded + basisRefunded);
      const now = new Date();
      let ledgerTransactionId: string | null = null;
      let bookedAt = now;
      if (amount > 0n) {
        const transaction = await this.ledger.post(
          {
            reference: `incentive_return:${benefit.id}:${input.reasonType}:${input.reasonId}`,
            type: 'incentive_return',
            sourceType: input.reasonType,
            sourceId: input.reasonId,
            description: `${program.name}: ${benefit.type.replace('_', ' ')} returned`,
            metadata: { incentive_program: program.id, incentive_benefit: benefit.id },
            legs: [{ debit: input.returnFrom(benefit)!, credit: budgetAccount(program), amount }],
          },
          manager,
        );
        ledgerTransactionId = transaction.id;
        bookedAt = transaction.createdAt;
      }
      const entry = Object.assign(new BenefitReturn(), {
        id: newId('benr'),
        benefitId: benefit.id,
        programId: program.id,
        accountId: benefit.accountId,
        currency: benefit.currency,
        amount,
        basisRefunded,
        reasonType: input.reasonType,
        reasonId: input.reasonId,
        ledgerTransactionId,
        bookedAt,
        createdAt: now,
      } satisfies BenefitReturn);
      await this.benefits.recordReturn(manager, benefit, entry);
      benefit.returned += amount;
      benefit.basisRefunded += basisRefunded;
      if (amount === 0n) continue;
      program.spent -= amount;
      total += amount;
      if (benefit.capMonth !== null) {
        await this.benefits.addMonthly(
          manager,
          { programId: program.id, accountId: benefit.accountId, month: benefit.capMonth },
          -amount,
        );
      }
      events.push({
        accountId: benefit.accountId,
        type: 'incentive_benefit.returned',
        object: presentBenefit(benefit),
      });
    }
    for (const program of programs.values()) {
      settleBudgetNotifications(program, false);
      await this.programs.saveBudget(manager, program);
    }
    await this.events.recordMany(manager, events);
    return total;
  }
}

function minBigint(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
