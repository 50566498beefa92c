import { Price } from '../catalog/price.entity.js';
import type { Quantities } from './usage-event.js';
import { rateEvent } from './usage-rating.js';

function price(fields: Partial<Price>): Price {
  return Object.assign(new Price(), {
    id: 'price_test',
    accountId: 'acct_test',
    productId: 'prod_test',
    currency: 'usd',
    inputPerMillion: null,
    outputPerMillion: null,
    cachedInputPerMillion: null,
    cacheWritePerMillion: null,
    reasoningPerMillion: null,
    perCall: null,
    minimumPerEvent: 0n,
    effectiveFrom: new Date(0),
    metadata: {},
    createdAt: new Date(0),
    ...fields,
  });
}

function quantities(fields: Partial<Quantities>): Quantities {
  return {
    input_tokens: 0n,
    output_tokens: 0n,
    cached_input_tokens: 0n,
    cache_write_tokens: 0n,
    reasoning_tokens: 0n,
    calls: 0n,
    ...fields,
  };
}

describe('rateEvent', () => {
  it('sums every class exactly and rounds once, half to even', () => {
    // 3.00/1M input, 15.00/1M output: 1234 × 3000 + 567 × 15000 nanos = 3 702 000 + 8 505 000 = 12 207 000 nanos.
    const p = price({ inputPerMillion: 3_000_000_000n, outputPerMillion: 15_000_000_000n });
    const result = rateEvent(p, quantities({ input_tokens: 1234n, output_tokens: 567n }));
    expect(result).toEqual({
      ok: true,
      rated: { amount: 12_207_000n, exactNumerator: 12_207_000n, exactDenominator: 1n },
    });
  });

  it('keeps sub-nano token prices exact until the single rounding', () => {
    // 0.000001 per 1M tokens = 1 000 nanos per 1M = 0.001 nano per token: 1 499 tokens = 1.499 nanos → 1.
    const p = price({ inputPerMillion: 1_000n, cachedInputPerMillion: 1_000n });
    const one = rateEvent(p, quantities({ input_tokens: 1_499n }));
    expect(one).toMatchObject({ ok: true, rated: { amount: 1n, exactNumerator: 1499n, exactDenominator: 1000n } });
    // Rounded per class this would be 1 + 1 = 2 nanos; rated as a whole it is 2.998 → 3.
    const two = rateEvent(p, quantities({ input_tokens: 1_499n, cached_input_tokens: 1_499n }));
    expect(two).toMatchObject({ ok: true, rated: { amount: 3n } });
    // Ties go to the even neighbour: 2.5 → 2, 3.5 → 4.
    expect(rateEvent(p, quantities({ input_tokens: 2_500n }))).toMatchObject({ rated: { amount: 2n } });
    expect(rateEvent(p, quantities({ input_tokens: 3_500n }))).toMatchObject({ rated: { amount: 4n } });
  });

  it('adds per-call pricing and applies the minimum after rounding', () => {
    const p = price({ perCall: 2_000_000n, outputPerMillion: 1_000_000_000n, minimumPerEvent: 5_000_000n });
    expect(rateEvent(p, quantities({ calls: 3n, output_tokens: 10n }))).toMatchObject({
      rated: { amount: 6_010_000n },
    });
    expect(rateEvent(p, quantities({ calls: 1n }))).toMatchObject({
      rated: { amount: 5_000_000n, exactNumerator: 2_000_000n },
    });
  });

  it('refuses a quantity the price does not price, but not a zero one', () => {
    const p = price({ inputPerMillion: 1_000_000_000n });
    expect(rateEvent(p, quantities({ input_tokens: 5n, reasoning_tokens: 1n }))).toMatchObject({
      ok: false,
      rejection: { code: 'unpriced_quantity' },
    });
    expect(rateEvent(p, quantities({ input_tokens: 5n, calls: 1n }))).toMatchObject({
      ok: false,
      rejection: { code: 'unpriced_quantity' },
    });
    expect(rateEvent(p, quantities({ input_tokens: 5n, reasoning_tokens: 0n }))).toMatchObject({ ok: true });
  });
});
