import { feeRebateOf } from './apply-fee-rebates.service.js';

describe('feeRebateOf', () => {
  const charge = { amount: 100_000_000_000n, fee: 2_800_000_000n, feeBps: 250, feeFixed: 300_000_000n };

  it('pays back the difference to the discounted rate, keeping the fixed part', () => {
    // 2.50 + 0.30 charged; 1.00 + 0.30 at 100 bps: 1.50 back.
    expect(feeRebateOf(charge, 100)).toBe(1_500_000_000n);
    expect(feeRebateOf(charge, 0)).toBe(2_500_000_000n);
  });

  it('pays nothing when the receiver’s own rate is already as low', () => {
    expect(feeRebateOf(charge, 250)).toBe(0n);
    expect(feeRebateOf(charge, 300)).toBe(0n);
  });

  it('never pays back more than the fee charged, even when the fee was capped at the amount', () => {
    const tiny = { amount: 10n, fee: 10n, feeBps: 250, feeFixed: 300_000_000n };
    expect(feeRebateOf(tiny, 0)).toBe(0n);
  });
});
