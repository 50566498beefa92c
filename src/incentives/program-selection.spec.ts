import type { IncentiveProgram } from './incentive-program.entity.js';
import { coversUsage, lowestFeeRate, mostGenerousSubsidy, pickProgram } from './program-selection.js';

const at = new Date('2025-06-15T00:00:00Z');

function program(id: string, overrides: Partial<IncentiveProgram> = {}): IncentiveProgram {
  return {
    id,
    type: 'token_subsidy',
    currency: 'usd',
    status: 'active',
    startsAt: new Date('2025-06-01T00:00:00Z'),
    endsAt: null,
    subsidyBps: 5000,
    feeRateBps: null,
    eligibleProducts: [],
    eligibleVendors: [],
    funded: 100n,
    withdrawn: 0n,
    spent: 0n,
    ...overrides,
  } as IncentiveProgram;
}

describe('coversUsage', () => {
  const target = { vendorAccountId: 'acct_v', productId: 'prod_a', currency: 'usd', at };

  it('covers usage of any product and vendor unless the program lists them', () => {
    expect(coversUsage(program('p'), target)).toBe(true);
    expect(coversUsage(program('p', { eligibleProducts: ['prod_a'] }), target)).toBe(true);
    expect(coversUsage(program('p', { eligibleProducts: ['prod_b'] }), target)).toBe(false);
    expect(coversUsage(program('p', { eligibleVendors: ['acct_w'] }), target)).toBe(false);
  });

  it('covers only usage inside the window, in the program currency', () => {
    expect(coversUsage(program('p', { currency: 'eur' }), target)).toBe(false);
    expect(coversUsage(program('p', { startsAt: new Date('2025-06-16T00:00:00Z') }), target)).toBe(false);
    expect(coversUsage(program('p', { endsAt: at }), target)).toBe(false);
  });
});

describe('pickProgram', () => {
  it('picks the most generous subsidy, the oldest program on a tie', () => {
    const picked = pickProgram(
      [program('p3', { subsidyBps: 2000 }), program('p2', { subsidyBps: 5000 }), program('p1', { subsidyBps: 5000 })],
      mostGenerousSubsidy,
    );
    expect(picked?.id).toBe('p1');
  });

  it('picks the lowest fee rate', () => {
    const picked = pickProgram([program('p1', { feeRateBps: 150 }), program('p2', { feeRateBps: 50 })], lowestFeeRate);
    expect(picked?.id).toBe('p2');
  });

  it('passes over programs whose budget reads empty', () => {
    const picked = pickProgram(
      [program('p1', { subsidyBps: 9000, spent: 100n }), program('p2', { subsidyBps: 1000 })],
      mostGenerousSubsidy,
    );
    expect(picked?.id).toBe('p2');
    expect(pickProgram([program('p1', { spent: 100n })], mostGenerousSubsidy)).toBeNull();
  });
});
