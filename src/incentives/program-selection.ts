import type { IncentiveProgram } from './incentive-program.entity.js';
import { isOpen, remainingBudget } from './incentive-program.entity.js';

export interface SubsidyTarget {
  vendorAccountId: string;
  productId: string | null;
  currency: string;
  at: Date;
}

/** Whether a token_subsidy program covers usage of this product from this vendor. */
export function coversUsage(program: IncentiveProgram, target: SubsidyTarget): boolean {
  if (program.type !== 'token_subsidy' || program.currency !== target.currency || !isOpen(program, target.at)) {
    return false;
  }
  if (program.eligibleVendors.length > 0 && !program.eligibleVendors.includes(target.vendorAccountId)) return false;
  if (program.eligibleProducts.length > 0) {
    if (target.productId === null || !program.eligibleProducts.includes(target.productId)) return false;
  }
  return true;
}

/**
 * At most one program pays for a charge: the most generous one the account is enrolled in (highest percent for
 * subsidies, lowest rate for fee discounts), the oldest program on a tie. A program whose budget already reads
 * empty is passed over so a funded one can pay; the grant itself re-checks the budget under its lock.
 */
export function pickProgram(
  candidates: IncentiveProgram[],
  better: (a: IncentiveProgram, b: IncentiveProgram) => number,
): IncentiveProgram | null {
  const funded = candidates.filter((program) => remainingBudget(program) > 0n);
  if (funded.length === 0) return null;
  return [...funded].sort((a, b) => better(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
}

export const mostGenerousSubsidy = (a: IncentiveProgram, b: IncentiveProgram) =>
  (b.subsidyBps ?? 0) - (a.subsidyBps ?? 0);

export const lowestFeeRate = (a: IncentiveProgram, b: IncentiveProgram) =>
  (a.feeRateBps ?? 10_000) - (b.feeRateBps ?? 10_000);
