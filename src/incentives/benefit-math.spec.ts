import { bpsToPercent, cutBenefit, percentToBps, returnShare, subsidyOf, utcMonth } from './benefit-math.js';

describe('percentToBps / bpsToPercent', () => {
  it('reads percentages with up to two decimals as basis points and prints them back', () => {
    expect(percentToBps('50')).toBe(5000);
    expect(percentToBps('12.5')).toBe(1250);
    expect(percentToBps('0.01')).toBe(1);
    expect(percentToBps('100')).toBe(10_000);
    expect(bpsToPercent(5000)).toBe('50');
    expect(bpsToPercent(1250)).toBe('12.5');
    expect(bpsToPercent(1)).toBe('0.01');
    expect(bpsToPercent(10_000)).toBe('100');
  });

  it('refuses zero, more than 100 and more than two decimals', () => {
    expect(percentToBps('0')).toBeNull();
    expect(percentToBps('100.01')).toBeNull();
    expect(percentToBps('12.345')).toBeNull();
    expect(percentToBps('-5')).toBeNull();
    expect(percentToBps('1e2')).toBeNull();
  });
});

describe('subsidyOf', () => {
  it('rounds the share once, half to even, and never exceeds the cost', () => {
    expect(subsidyOf(1_000_000_001n, 5000)).toBe(500_000_000n); // 500000000.5 → even
    expect(subsidyOf(1_000_000_003n, 5000)).toBe(500_000_002n); // 500000001.5 → even
    expect(subsidyOf(7n, 10_000)).toBe(7n);
  });
});

describe('cutBenefit', () => {
  it('pays the promise in full when the budget and the cap allow it', () => {
    expect(cutBenefit(100n, 1000n, null)).toBe(100n);
    expect(cutBenefit(100n, 1000n, 500n)).toBe(100n);
  });

  it('cuts to what remains of the budget or of the monthly cap, whichever is smaller', () => {
    expect(cutBenefit(100n, 30n, null)).toBe(30n);
    expect(cutBenefit(100n, 1000n, 40n)).toBe(40n);
    expect(cutBenefit(100n, 0n, 40n)).toBe(0n);
    expect(cutBenefit(100n, 1000n, -5n)).toBe(0n);
  });
});

describe('returnShare', () => {
  it('returns the proportional share of each partial refund and the exact rest on the last one', () => {
    const benefit = { amount: 333n, basis: 1000n, returned: 0n };
    const first = returnShare(benefit, 333n); // 110.889 → 111
    expect(first).toBe(111n);
    const second = returnShare({ ...benefit, returned: first }, 666n); // 221.778 → 222
    expect(second).toBe(111n);
    const last = returnShare({ ...benefit, returned: first + second }, 1000n);
    expect(first + second + last).toBe(333n);
  });

  it('never returns more than the benefit, even when the refunded basis overshoots', () => {
    expect(returnShare({ amount: 50n, basis: 100n, returned: 50n }, 200n)).toBe(0n);
    expect(returnShare({ amount: 50n, basis: 100n, returned: 0n }, 200n)).toBe(50n);
  });
});

describe('utcMonth', () => {
  it('names the UTC calendar month of an instant', () => {
    expect(utcMonth(new Date('2025-01-31T23:59:59.999Z'))).toBe('2025-01-01');
    expect(utcMonth(new Date('2025-02-01T00:00:00Z'))).toBe('2025-02-01');
  });
});
