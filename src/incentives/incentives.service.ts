import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { LedgerAccountKey } from '../ledger/ledger.types.js';
import { ApplyFeeRebatesService } from './use-cases/apply-fee-rebates/apply-fee-rebates.service.js';
import type { FeeCharge, FeeRebateGrant } from './use-cases/apply-fee-rebates/apply-fee-rebates.service.js';
import { ApplyTokenSubsidiesService } from './use-cases/apply-token-subsidies/apply-token-subsidies.service.js';
import type { SubsidyGrant, UsageCost } from './use-cases/apply-token-subsidies/apply-token-subsidies.service.js';
import { ReturnBenefitsService } from './use-cases/return-benefits/return-benefits.service.js';
import type { BenefitReturnInput } from './use-cases/return-benefits/return-benefits.service.js';

/**
 * The one incentives API, asked by both payments and Token Pay: which subsidy and which fee rate apply to these
 * charges, applied inside the charge's transaction and cut to what budgets and caps still allow. Callers never
 * look at programs, enrollments or budgets themselves.
 */
@Injectable()
export class IncentivesService {
  constructor(
    private readonly subsidies: ApplyTokenSubsidiesService,
    private readonly rebates: ApplyFeeRebatesService,
    private readonly returns: ReturnBenefitsService,
  ) {}

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
