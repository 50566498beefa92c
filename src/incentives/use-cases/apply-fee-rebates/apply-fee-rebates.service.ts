import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { applyBasisPoints } from '../../../../libs/money/src/index.js';
import { Clock } from '../../../common/clock/clock.js';
import { IncentiveEnrollmentsService } from '../../incentive-enrollments.service.js';
import type { IncentiveProgram } from '../../incentive-program.entity.js';
import { isOpen } from '../../incentive-program.entity.js';
import { IncentiveProgramsRepository } from '../../incentive-programs.repository.js';
import { lowestFeeRate, pickProgram } from '../../program-selection.js';
import { GrantBenefitsService, sourceKeyOf } from '../grant-benefits/grant-benefits.service.js';
import type { BenefitRequest } from '../grant-benefits/grant-benefits.service.js';

/** A charge whose fee was computed at the receiver's normal rate. */
export interface FeeCharge {
  sourceType: string;
  sourceId: string;
  receiverAccountId: string;
  currency: string;
  /** The gross amount the fee was computed on, nanos. */
  amount: bigint;
  /** The fee charged, nanos. */
  fee: bigint;
  /** The rate in basis points and the fixed part behind `fee`. */
  feeBps: number;
  feeFixed: bigint;
  occurredAt: Date;
}

export interface FeeRebateGrant {
  programId: string;
  benefitId: string;
  amount: bigint;
  ledgerTransactionId: string;
}

/**
 * The discounted fee: the program's rate in place of the receiver's, the fixed part unchanged, never more than
 * the amount. Rebate = fee charged − discounted fee (nothing when the receiver's own rate is already lower).
 */
export function feeRebateOf(
  charge: Pick<FeeCharge, 'amount' | 'fee' | 'feeBps' | 'feeFixed'>,
  rateBps: number,
): bigint {
  if (rateBps >= charge.feeBps) return 0n;
  let discounted = applyBasisPoints(charge.amount, BigInt(rateBps)) + charge.feeFixed;
  if (discounted > charge.amount) discounted = charge.amount;
  const rebate = charge.fee - discounted;
  return rebate > 0n ? rebate : 0n;
}

/**
 * Fee discounts are booked as rebates: the charge pays the normal fee to the platform, and in the same
 * transaction the program budget pays the receiver the difference to the discounted fee (budget → receiver
 * pending). Every discount is therefore visible in the ledger as program spend, and stops when the budget does.
 */
@Injectable()
export class ApplyFeeRebatesService {
  constructor(
    private readonly programs: IncentiveProgramsRepository,
    private readonly enrollments: IncentiveEnrollmentsService,
    private readonly grants: GrantBenefitsService,
    private readonly clock: Clock,
  ) {}

  /** Keyed by sourceId; charges without a rebate are absent. */
  async apply(manager: EntityManager, charges: FeeCharge[]): Promise<Map<string, FeeRebateGrant>> {
    const result = new Map<string, FeeRebateGrant>();
    const withFee = charges.filter((charge) => charge.fee > 0n);
    if (withFee.length === 0) return result;
    const candidates: IncentiveProgram[] = [];
    for (const currency of new Set(withFee.map((charge) => charge.currency))) {
      candidates.push(...(await this.programs.listActive({ type: 'fee_discount', currency }, manager)));
    }
    if (candidates.length === 0) return result;
    const now = this.clock.now();
    const open = candidates.filter((program) => isOpen(program, now));
    const receivers = [...new Set(withFee.map((charge) => charge.receiverAccountId))];
    const enrolled = await this.enrollments.activeEnrollments(
      manager,
      open.flatMap((program) =>
        receivers
          .filter((receiver) =>
            withFee.some((c) => c.receiverAccountId === receiver && c.currency === program.currency),
          )
          .map((accountId) => ({ program, accountId })),
      ),
      now,
    );
    const requests: BenefitRequest[] = [];
    for (const charge of withFee) {
      const program = pickProgram(
        open.filter(
          (candidate) =>
            candidate.currency === charge.currency && enrolled.has(`${candidate.id}|${charge.receiverAccountId}`),
        ),
        lowestFeeRate,
      );
      if (!program) continue;
      const rebate = feeRebateOf(charge, program.feeRateBps ?? charge.feeBps);
      if (rebate === 0n) continue;
      requests.push({
        programId: program.id,
        accountId: charge.receiverAccountId,
        type: 'fee_rebate',
        currency: charge.currency,
        requested: rebate,
        basis: charge.amount,
        sourceType: charge.sourceType,
        sourceId: charge.sourceId,
        occurredAt: charge.occurredAt,
        capMonth: null,
        counterpartyAccountId: null,
        creditTo: { owner: charge.receiverAccountId, purpose: 'pending', currency: charge.currency },
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
