import type { LedgerAccountKey } from '../ledger/ledger.types.js';
import type { IncentiveProgram } from './incentive-program.entity.js';
import { remainingBudget } from './incentive-program.entity.js';

/** Events are written for the operator under this owner (program events belong to no developer account). */
export const PLATFORM_OWNER = 'platform';

/** The ledger account of a program's budget: owned by the program, purpose 'budget', floor 0. */
export function budgetAccount(program: Pick<IncentiveProgram, 'id' | 'currency'>): LedgerAccountKey {
  return { owner: program.id, purpose: 'budget', currency: program.currency };
}

/** Where funding comes from and withdrawals go back to: the platform's compensation account. */
export function platformCompensationAccount(currency: string): LedgerAccountKey {
  return { owner: PLATFORM_OWNER, purpose: 'compensation', currency };
}

/** budget_low fires once 80 % of the money put in (funded − withdrawn) is spent. */
const LOW_NUMERATOR = 8n;
const LOW_DENOMINATOR = 10n;

export type BudgetEventType = 'incentive_program.budget_low' | 'incentive_program.budget_exhausted';

/**
 * Moves the program's notification flags to match its counters and returns the events that became due.
 * Each event fires once per crossing, and only when spending crossed it (`spending`): a withdrawal that empties
 * the budget is the operator's own doing. Funding the budget back above the threshold re-arms it.
 */
export function settleBudgetNotifications(program: IncentiveProgram, spending: boolean): BudgetEventType[] {
  const due: BudgetEventType[] = [];
  const putIn = program.funded - program.withdrawn;
  const low = putIn > 0n && program.spent * LOW_DENOMINATOR >= putIn * LOW_NUMERATOR;
  const exhausted = program.funded > 0n && remainingBudget(program) === 0n && program.spent > 0n;
  if (spending && low && !program.lowNotified) due.push('incentive_program.budget_low');
  if (spending && exhausted && !program.exhaustedNotified) due.push('incentive_program.budget_exhausted');
  program.lowNotified = low;
  program.exhaustedNotified = exhausted;
  return due;
}
