import type { IncentiveProgram } from './incentive-program.entity.js';
import { settleBudgetNotifications } from './program-budget.js';

function program(funded: bigint, spent: bigint, withdrawn = 0n): IncentiveProgram {
  return { funded, spent, withdrawn, lowNotified: false, exhaustedNotified: false } as IncentiveProgram;
}

describe('settleBudgetNotifications', () => {
  it('announces budget_low once 80 % of the money put in is spent, once', () => {
    const p = program(100n, 79n);
    expect(settleBudgetNotifications(p, true)).toEqual([]);
    p.spent = 80n;
    expect(settleBudgetNotifications(p, true)).toEqual(['incentive_program.budget_low']);
    p.spent = 90n;
    expect(settleBudgetNotifications(p, true)).toEqual([]);
  });

  it('announces budget_exhausted when spending empties the budget, and low with it when both cross at once', () => {
    const p = program(100n, 100n);
    expect(settleBudgetNotifications(p, true)).toEqual([
      'incentive_program.budget_low',
      'incentive_program.budget_exhausted',
    ]);
  });

  it('stays quiet when a withdrawal empties the budget, and re-arms when funding lifts it again', () => {
    const p = program(100n, 50n, 50n);
    expect(settleBudgetNotifications(p, false)).toEqual([]);
    p.funded = 300n;
    expect(settleBudgetNotifications(p, false)).toEqual([]);
    p.spent = 250n;
    expect(settleBudgetNotifications(p, true)).toEqual([
      'incentive_program.budget_low',
      'incentive_program.budget_exhausted',
    ]);
  });
});
