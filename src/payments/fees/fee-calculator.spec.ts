import { FeeCalculator } from './fee-calculator.js';

describe('FeeCalculator.feeFor', () => {
  it('applies the rate with half-even rounding to the nano, then adds the fixed fee', () => {
    // 2.5% of 0.000000013 = 0.000000000325 → rounds to 0 nanos; + fixed 0.30
    expect(FeeCalculator.feeFor({ bps: 250, fixed: 300_000_000n }, 13n)).toBe(13n);
    expect(FeeCalculator.feeFor({ bps: 250, fixed: 0n }, 10_000_000_000n)).toBe(250_000_000n);
    expect(FeeCalculator.feeFor({ bps: 250, fixed: 300_000_000n }, 10_000_000_000n)).toBe(550_000_000n);
    // 2.5% of 0.00000002 = 0.0000000005 nanos → half-even to 0
    expect(FeeCalculator.feeFor({ bps: 250, fixed: 0n }, 20n)).toBe(0n);
    expect(FeeCalculator.feeFor({ bps: 250, fixed: 0n }, 60n)).toBe(2n);
  });

  it('never takes more than the amount', () => {
    expect(FeeCalculator.feeFor({ bps: 10_000, fixed: 1n }, 5n)).toBe(5n);
  });
});

describe('FeeCalculator.scheduleFor', () => {
  const config = { platformFeeBps: 250, platformFeeFixed: '0.30' } as never;

  it("uses the receiver's override, else the platform default", async () => {
    const none = new FeeCalculator(config);
    const at = new Date();
    const base = { currency: 'usd', at, sourceType: 'payment' };
    expect(await none.scheduleFor({ ...base, receiver: { id: 'a', feeBps: null, feeFixed: null } })).toEqual({
      bps: 250,
      fixed: 300_000_000n,
    });
    expect(await none.scheduleFor({ ...base, receiver: { id: 'a', feeBps: 100, feeFixed: 0n } })).toEqual({
      bps: 100,
      fixed: 0n,
    });
  });
});
