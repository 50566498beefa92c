import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { WalletsService } from '../../../wallets/wallets.service.js';
import type { IncentiveBenefit } from '../../incentive-benefit.entity.js';
import type { IncentiveEnrollment } from '../../incentive-enrollment.entity.js';
import type { IncentiveProgram } from '../../incentive-program.entity.js';
import { GrantBenefitsService, sourceKeyOf } from '../grant-benefits/grant-benefits.service.js';

/**
 * Credits a newly enrolled payer's wallet once, from the program budget (cut to what remains, like every
 * benefit). The enrollment is the source, so an enrollment can never be credited twice.
 */
@Injectable()
export class GrantSignupCreditService {
  constructor(
    private readonly grants: GrantBenefitsService,
    private readonly wallets: WalletsService,
  ) {}

  async grant(
    manager: EntityManager,
    program: IncentiveProgram,
    enrollment: IncentiveEnrollment,
  ): Promise<IncentiveBenefit | null> {
    const amount = program.creditAmount ?? 0n;
    const request = {
      programId: program.id,
      accountId: enrollment.accountId,
      type: 'signup_credit' as const,
      currency: program.currency,
      requested: amount,
      basis: amount,
      sourceType: 'incentive_enrollment',
      sourceId: enrollment.id,
      occurredAt: enrollment.approvedAt ?? new Date(),
      capMonth: null,
      counterpartyAccountId: null,
      creditTo: { owner: enrollment.accountId, purpose: 'wallet' as const, currency: program.currency },
    };
    const granted = (await this.grants.grant(manager, [request])).get(sourceKeyOf(request)) ?? null;
    if (granted) await this.wallets.ensureWallet(manager, enrollment.accountId, program.currency);
    return granted;
  }
}
