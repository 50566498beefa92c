import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { FeeRebateHook, FeeRebateRequest, FeeRebateReturn } from '../../payments/fees/fee-calculator.js';
import { IncentivesService } from '../incentives.service.js';

/**
 * The fee calculator's rebate hook, answered by the incentives API for payments and Token Pay alike: the
 * receiver's best fee_discount program pays back the difference to its discounted rate, budget → receiver
 * pending, and a refund takes that share back from the receiver's pending balance.
 */
@Injectable()
export class IncentivesFeeRebateHook implements FeeRebateHook {
  constructor(private readonly incentives: IncentivesService) {}

  async rebate(manager: EntityManager, request: FeeRebateRequest): Promise<bigint[]> {
    const grants = await this.incentives.applyFeeRebates(
      manager,
      request.charges.map((charge) => ({
        sourceType: charge.sourceType,
        sourceId: charge.sourceId,
        receiverAccountId: request.receiverAccountId,
        currency: request.currency,
        amount: charge.amount,
        fee: charge.fee,
        feeBps: request.schedule.bps,
        feeFixed: request.schedule.fixed,
        occurredAt: request.at,
      })),
    );
    return request.charges.map((charge) => grants.get(charge.sourceId)?.amount ?? 0n);
  }

  async giveBack(manager: EntityManager, request: FeeRebateReturn): Promise<bigint> {
    return this.incentives.returnFeeRebates(manager, request);
  }
}
