import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock/clock.js';
import type { LedgerAccountKey } from '../../../ledger/ledger.types.js';
import { subsidyOf, utcMonth } from '../../benefit-math.js';
import { IncentiveEnrollmentsService } from '../../incentive-enrollments.service.js';
import type { IncentiveProgram } from '../../incentive-program.entity.js';
import { IncentiveProgramsRepository } from '../../incentive-programs.repository.js';
import { coversUsage, mostGenerousSubsidy, pickProgram } from '../../program-selection.js';
import { GrantBenefitsService, sourceKeyOf } from '../grant-benefits/grant-benefits.service.js';
import type { BenefitRequest } from '../grant-benefits/grant-benefits.service.js';

/** One rated usage charge a payer owes a vendor. */
export interface UsageCost {
  /** The usage event (or other charge) id: the benefit's source, unique per charge. */
  sourceId: string;
  sourceType?: string;
  payerAccountId: string;
  vendorAccountId: string;
  productId: string | null;
  currency: string;
  /** The full token cost, nanos. */
  cost: bigint;
  /** The usage timestamp: decides the program window and the calendar month of the cap. */
  occurredAt: Date;
}

export interface SubsidyGrant {
  programId: string;
  benefitId: string;
  /** Paid by the budget, nanos; the payer owes cost − amount. */
  amount: bigint;
  ledgerTransactionId: string;
}

/**
 * Pays part of enrolled payers' token costs from token_subsidy budgets, in the caller's (the usage charge's)
 * transaction. Each subsidized charge gets one ledger transaction budget → `payTo(charge)` (the vendor's pending
 * balance, so the vendor receives the full price while the payer's wallet pays cost − subsidy).
 */
@Injectable()
export class ApplyTokenSubsidiesService {
  constructor(
    private readonly programs: IncentiveProgramsRepository,
    private readonly enrollments: IncentiveEnrollmentsService,
    private readonly grants: GrantBenefitsService,
    private readonly clock: Clock,
  ) {}

  /** Keyed by sourceId; charges without a subsidy are absent. */
  async apply(
    manager: EntityManager,
    charges: UsageCost[],
    payTo: (charge: UsageCost) => LedgerAccountKey,
  ): Promise<Map<string, SubsidyGrant>> {
    const result = new Map<string, SubsidyGrant>();
    const billable = charges.filter((charge) => charge.cost > 0n);
    if (billable.length === 0) return result;
    const currencies = [...new Set(billable.map((charge) => charge.currency))];
    const candidates: IncentiveProgram[] = [];
    for (const currency of currencies) {
      candidates.push(...(await this.programs.listActive({ type: 'token_subsidy', currency }, manager)));
    }
    if (candidates.length === 0) return result;

    const targetOf = (charge: UsageCost) => ({
      vendorAccountId: charge.vendorAccountId,
      productId: charge.productId,
      currency: charge.currency,
      at: charge.occurredAt,
    });
    // The programs that cover each charge; only those may enroll its payer or pay for it.
    const covering = new Map(
      billable.map((charge) => [charge, candidates.filter((program) => coversUsage(program, targetOf(charge)))]),
    );
    const pairs = new Map<string, { program: IncentiveProgram; accountId: string }>();
    for (const [charge, programs] of covering) {
      for (const program of programs) {
        pairs.set(`${program.id}|${charge.payerAccountId}`, { program, accountId: charge.payerAccountId });
      }
    }
    const enrolled = await this.enrollments.activeEnrollments(manager, [...pairs.values()], this.clock.now());
    const requests: BenefitRequest[] = [];
    for (const charge of billable) {
      const program = pickProgram(
        covering.get(charge)!.filter((candidate) => enrolled.has(`${candidate.id}|${charge.payerAccountId}`)),
        mostGenerousSubsidy,
      );
      if (!program) continue;
      requests.push({
        programId: program.id,
        accountId: charge.payerAccountId,
        type: 'token_subsidy',
        currency: charge.currency,
        requested: subsidyOf(charge.cost, program.subsidyBps ?? 0),
        basis: charge.cost,
        sourceType: charge.sourceType ?? 'usage_event',
        sourceId: charge.sourceId,
        occurredAt: charge.occurredAt,
        // Counted even without a cap, so a cap added mid-month already knows what the month used.
        capMonth: utcMonth(charge.occurredAt),
        counterpartyAccountId: charge.vendorAccountId,
        creditTo: payTo(charge),
      });
    }
    const granted = await this.grants.grant(manager, requests);
    for (const request of requests) {
      const benefit = granted.get(sourceKeyOf(request));
      if (!benefit) continue;
      result.set(request.sourceId, {
        programId: benefit.programId,
        benefitId: benefit.id,
        amount: benefit.amount,
        ledgerTransactionId: benefit.ledgerTransactionId,
      });
    }
    return result;
  }
}
