import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** One accepted usage charge an incentive program may subsidise. */
export interface SubsidisableCharge {
  /** The usage event (ue_…): the source of the subsidy, so a retry can never pay it twice. */
  usageEventId: string;
  payerAccountId: string;
  productId: string;
  /** What the payer was charged for the event, nanos (> 0): the token cost the subsidy is a share of. */
  amount: bigint;
  /** The usage's own timestamp (monthly caps count by it). */
  occurredAt: Date;
}

export interface SubsidyRequest {
  /** The vendor that billed the usage. */
  vendorAccountId: string;
  currency: string;
  charges: SubsidisableCharge[];
}

/**
 * Where incentive programs pay part of the token cost from a program budget. Token Pay calls it once per batch,
 * inside the batch's transaction and after the charges were accepted, so a subsidy exists exactly when its
 * charge does; the implementation moves the money through the ledger itself and returns, per charge and in
 * order, the amount it paid (0n for none). It must not throw for a charge it does not subsidise.
 */
export interface TokenSubsidyHook {
  subsidise(manager: EntityManager, request: SubsidyRequest): Promise<bigint[]>;
}

/** Inject with `@Inject(TOKEN_SUBSIDY_HOOK)`; an incentives module provides its implementation under this token. */
export const TOKEN_SUBSIDY_HOOK = Symbol('TOKEN_SUBSIDY_HOOK');

/** The default: no program pays anything. */
@Injectable()
export class NoTokenSubsidy implements TokenSubsidyHook {
  async subsidise(_manager: EntityManager, request: SubsidyRequest): Promise<bigint[]> {
    return request.charges.map(() => 0n);
  }
}
