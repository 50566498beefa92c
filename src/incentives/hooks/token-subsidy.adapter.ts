import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SubsidyRequest, TokenSubsidyHook } from '../../metering/token-subsidy.hook.js';
import { IncentivesService } from '../incentives.service.js';

/**
 * Token Pay's subsidy hook, answered by the incentives API. Token Pay calls it after the payer's wallet paid the
 * full price of the accepted charges, so the subsidy goes budget → payer wallet in the same transaction: the
 * wallet ends up paying cost − subsidy, the budget the subsidy, and the vendor keeps the full price minus its fee.
 */
@Injectable()
export class IncentivesTokenSubsidyHook implements TokenSubsidyHook {
  constructor(private readonly incentives: IncentivesService) {}

  async subsidise(manager: EntityManager, request: SubsidyRequest): Promise<bigint[]> {
    const grants = await this.incentives.applyTokenSubsidies(
      manager,
      request.charges.map((charge) => ({
        sourceId: charge.usageEventId,
        sourceType: 'usage_event',
        payerAccountId: charge.payerAccountId,
        vendorAccountId: request.vendorAccountId,
        productId: charge.productId,
        currency: request.currency,
        cost: charge.amount,
        occurredAt: charge.occurredAt,
      })),
      (charge) => ({ owner: charge.payerAccountId, purpose: 'wallet', currency: charge.currency }),
    );
    return request.charges.map((charge) => grants.get(charge.usageEventId)?.amount ?? 0n);
  }
}
