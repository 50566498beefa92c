import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock.js';
import type { LedgerAccountKey } from '../ledger/ledger.types.js';
import { IncentiveEnrollmentsService } from './incentive-enrollments.service.js';
import { isOpen } from './incentive-program.entity.js';
import { IncentiveProgramsRepository } from './incentive-programs.repository.js';
import { coversUsage, lowestFeeRate, mostGenerousSubsidy, pickProgram } from './program-selection.js';
import { ApplyFeeRebatesService } from './use-cases/apply-fee-rebates/apply-fee-rebates.service.js';
import type { FeeCharge, FeeRebateGrant } from './use-cases/apply-fee-rebates/apply-fee-rebates.service.js';
import { ApplyTokenSubsidiesService } from './use-cases/apply-token-subsidies/apply-token-subsidies.service.js';
import type { SubsidyGrant, UsageCost } from './use-cases/apply-token-subsidies/apply-token-subsidies.service.js';
import { ReturnBenefitsService } from './use-cases/return-benefits/return-benefits.service.js';
import type { BenefitReturnInput } from './use-cases/return-benefits/return-benefits.service.js';

export interface FeeRateQuote {
  programId: string;
  /** The discounted rate in basis points that replaces the receiver's rate. */
  feeRateBps: number;
}

export interface SubsidyQuote {
  programId: string;
  /** Share of the token cost the budget pays, in basis points. */
  subsidyBps: number;
}

/**
 * The one incentives API, asked by both payments and Token Pay: "what subsidy and fee rate apply here" (quotes,
 * read-only) and "apply them to these charges" (inside the charge's transaction, cut to what budgets and caps
 * still allow). Callers never look at programs, enrollments or budgets themselves.
 */
@Injectable()
export class IncentivesService {
  constructor(
    private readonly programs: IncentiveProgramsRepository,
    private readonly enrollments: IncentiveEnrollmentsService,
    private readonly subsidies: ApplyTokenSubsidiesService,
    private readonly rebates: ApplyFeeRebatesService,
    private readonly returns: ReturnBenefitsService,
    private readonly clock: Clock,
  ) {}

  /** The discounted fee rate a receiver's charges get here and now, or null. Whether the budget pays is decided
   *  when the rebate is applied. */
  async feeRateFor(query: { receiverAccountId: string; currency: string }): Promise<FeeRateQuote | null> {
    const now = this.clock.now();
    const candidates = (await this.programs.listActive({ type: 'fee_discount', currency: query.currency })).filter(
      (program) => isOpen(program, now),
    );
    const active = await this.enrollments.activeEnrollments(
      undefined,
      candidates,
      [query.receiverAccountId],
      now,
      false,
    );
    const program = pickProgram(
      candidates.filter((candidate) => active.has(`${candidate.id}|${query.receiverAccountId}`)),
      lowestFeeRate,
    );
    return program ? { programId: program.id, feeRateBps: program.feeRateBps ?? 0 } : null;
  }

  /** The share of a payer's token cost a program pays for this usage, or null. */
  async subsidyFor(query: {
    payerAccountId: string;
    vendorAccountId: string;
    productId: string | null;
    currency: string;
    at?: Date;
  }): Promise<SubsidyQuote | null> {
    const at = query.at ?? this.clock.now();
    const target = { ...query, at };
    const candidates = (await this.programs.listActive({ type: 'token_subsidy', currency: query.currency })).filter(
      (program) => coversUsage(program, target),
    );
    const active = await this.enrollments.activeEnrollments(
      undefined,
      candidates,
      [query.payerAccountId],
      this.clock.now(),
      false,
    );
    const program = pickProgram(
      candidates.filter((candidate) => active.has(`${candidate.id}|${query.payerAccountId}`)),
      mostGenerousSubsidy,
    );
    return program ? { programId: program.id, subsidyBps: program.subsidyBps ?? 0 } : null;
  }

  /** Pays token subsidies for rated usage charges (see ApplyTokenSubsidiesService). Keyed by sourceId. */
  applyTokenSubsidies(
    manager: EntityManager,
    charges: UsageCost[],
    payTo: (charge: UsageCost) => LedgerAccountKey,
  ): Promise<Map<string, SubsidyGrant>> {
    return this.subsidies.apply(manager, charges, payTo);
  }

  /** Books fee-discount rebates for charges that paid the normal fee (see ApplyFeeRebatesService). */
  applyFeeRebates(manager: EntityManager, charges: FeeCharge[]): Promise<Map<string, FeeRebateGrant>> {
    return this.rebates.apply(manager, charges);
  }

  /**
   * A refund of a charge whose fee was rebated: the receiver gives the rebate's share back to the budget from
   * its pending balance (where the rebate went). Returns what went back.
   */
  async returnFeeRebates(
    manager: EntityManager,
    refund: { sourceType: string; sourceId: string; refundedAmount: bigint; refundId: string },
  ): Promise<bigint> {
    return this.returns.returnFor(manager, {
      sourceType: refund.sourceType,
      sourceId: refund.sourceId,
      refundedAmount: refund.refundedAmount,
      reasonType: 'refund',
      reasonId: refund.refundId,
      returnFrom: (benefit) =>
        benefit.type === 'fee_rebate'
          ? { owner: benefit.accountId, purpose: 'pending', currency: benefit.currency }
          : null,
    });
  }

  /** Gives budgets back their share of a refunded charge's benefits (see ReturnBenefitsService). */
  returnBenefits(manager: EntityManager, input: BenefitReturnInput): Promise<bigint> {
    return this.returns.returnFor(manager, input);
  }
}
