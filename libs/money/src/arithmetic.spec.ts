import fc from 'fast-check';

import { allocate, applyBasisPoints, divideRoundHalfEven, prorate, rateUsage, type UsageLine } from './arithmetic.js';
import { MoneyError } from './money.error.js';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 42), numRuns: Number(process.env.FC_RUNS ?? 200) });

const abs = (value: bigint): bigint => (value < 0n ? -value : value);
const nonZero = (limit: bigint) => fc.bigInt({ min: -limit, max: limit }).filter((value) => value !== 0n);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof MoneyError) return error.code;
    throw error;
  }
  return undefined;
}

/** The two facts that define round-half-even: nearest integer, and the even one on an exact tie. */
function expectRoundedHalfEven(quotient: bigint, numerator: bigint, denominator: bigint): void {
  const twiceError = 2n * abs(quotient * denominator - numerator);
  expect(twiceError <= abs(denominator)).toBe(true);
  if (twiceError === abs(denominator)) expect(quotient % 2n).toBe(0n);
}

describe('divideRoundHalfEven', () => {
  it.each([
    [5n, 2n, 2n],
    [7n, 2n, 4n],
    [1n, 2n, 0n],
    [3n, 2n, 2n],
    [-5n, 2n, -2n],
    [-7n, 2n, -4n],
    [5n, -2n, -2n],
    [-5n, -2n, 2n],
  ])('rounds the tie %p / %p to the even nano %p', (numerator, denominator, expected) => {
    expect(divideRoundHalfEven(numerator, denominator)).toBe(expected);
  });

  it.each([
    [7n, 4n, 2n],
    [5n, 4n, 1n],
    [-7n, 4n, -2n],
    [-5n, 4n, -1n],
    [10n, 3n, 3n],
    [-10n, 3n, -3n],
    [2n, 3n, 1n],
  ])('rounds %p / %p to the nearest nano %p', (numerator, denominator, expected) => {
    expect(divideRoundHalfEven(numerator, denominator)).toBe(expected);
  });

  it('is exact when the division is exact', () => {
    expect(divideRoundHalfEven(-12n, 4n)).toBe(-3n);
    expect(divideRoundHalfEven(0n, -7n)).toBe(0n);
  });

  it('refuses to divide by zero', () => {
    expect(codeOf(() => divideRoundHalfEven(1n, 0n))).toBe('division_by_zero');
  });

  it('is within half a nano of the exact quotient and sends ties to even, for any signs and sizes', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 130n), max: 2n ** 130n }), nonZero(2n ** 70n), (numerator, denominator) => {
        expectRoundedHalfEven(divideRoundHalfEven(numerator, denominator), numerator, denominator);
      }),
    );
  });

  it('exercises exact ties as well', () => {
    // Random pairs rarely tie, so build them: (2k + 1) · d / (2d) is always exactly k + ½.
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }), nonZero(2n ** 40n), (k, d) => {
        const quotient = divideRoundHalfEven((2n * k + 1n) * d, 2n * d);
        expect(quotient === k || quotient === k + 1n).toBe(true);
        expect(quotient % 2n).toBe(0n);
      }),
    );
  });

  it('is symmetric in sign', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 100n), max: 2n ** 100n }), nonZero(2n ** 50n), (numerator, denominator) => {
        const quotient = divideRoundHalfEven(numerator, denominator);
        expect(divideRoundHalfEven(-numerator, denominator)).toBe(-quotient);
        expect(divideRoundHalfEven(numerator, -denominator)).toBe(-quotient);
      }),
    );
  });
});

describe('rateUsage', () => {
  const PER_MILLION = 1_000_000n;

  it('prices per-million token classes and a per-call fee in one event', () => {
    const rated = rateUsage([
      { quantity: 1234n, unitPriceNanos: 3_000_000_000n, perUnits: PER_MILLION }, // input tokens, $3 / 1M
      { quantity: 567n, unitPriceNanos: 15_000_000_000n, perUnits: PER_MILLION }, // output tokens, $15 / 1M
      { quantity: 1n, unitPriceNanos: 10_000_000n, perUnits: 1n }, // one tool call, $0.01
    ]);
    expect(rated).toEqual({ exactNumerator: 22_207_000n, denominator: 1n, amount: 22_207_000n });
  });

  it('rounds once for the whole event, not once per line', () => {
    // Three lines of ⅓ nano each: per-line rounding would charge 0, the exact total is 1 nano.
    const third: UsageLine = { quantity: 1n, unitPriceNanos: 1n, perUnits: 3n };
    expect(rateUsage([third, third, third])).toEqual({ exactNumerator: 1n, denominator: 1n, amount: 1n });
  });

  it('keeps the exact price in lowest terms and rounds a tie to the even nano', () => {
    expect(rateUsage([{ quantity: 1n, unitPriceNanos: 5n, perUnits: 10n }])).toEqual({
      exactNumerator: 1n,
      denominator: 2n,
      amount: 0n,
    });
    expect(rateUsage([{ quantity: 3n, unitPriceNanos: 1n, perUnits: 2n }]).amount).toBe(2n);
  });

  it('charges nothing for an event without lines', () => {
    expect(rateUsage([])).toEqual({ exactNumerator: 0n, denominator: 1n, amount: 0n });
  });

  it('rejects a line priced per zero or negative units', () => {
    expect(codeOf(() => rateUsage([{ quantity: 1n, unitPriceNanos: 1n, perUnits: 0n }]))).toBe('invalid_rate');
    expect(codeOf(() => rateUsage([{ quantity: 1n, unitPriceNanos: 1n, perUnits: -1n }]))).toBe('invalid_rate');
  });

  it('equals the exact rational sum rounded once, half-even', () => {
    const line = fc.record({
      quantity: fc.bigInt({ min: -(10n ** 6n), max: 10n ** 12n }),
      unitPriceNanos: fc.bigInt({ min: 0n, max: 10n ** 15n }),
      perUnits: fc.oneof(fc.constantFrom(1n, 1_000n, 1_000_000n), fc.bigInt({ min: 1n, max: 10n ** 7n })),
    });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), (lines) => {
        // Reference: the plain sum of fractions over the product of denominators, no cleverness.
        let referenceNumerator = 0n;
        let referenceDenominator = 1n;
        for (const { quantity, unitPriceNanos, perUnits } of lines) {
          referenceNumerator = referenceNumerator * perUnits + quantity * unitPriceNanos * referenceDenominator;
          referenceDenominator *= perUnits;
        }
        const rated = rateUsage(lines);
        expect(rated.exactNumerator * referenceDenominator).toBe(referenceNumerator * rated.denominator);
        expect(rated.denominator > 0n).toBe(true);
        expect(rated.amount).toBe(divideRoundHalfEven(referenceNumerator, referenceDenominator));
        expectRoundedHalfEven(rated.amount, rated.exactNumerator, rated.denominator);
      }),
    );
  });
});

describe('applyBasisPoints', () => {
  it('takes 250 bps as 2.5 %', () => {
    expect(applyBasisPoints(10_000_000_000n, 250n)).toBe(250_000_000n);
  });

  it('rounds a tie to the even nano', () => {
    expect(applyBasisPoints(2n, 2_500n)).toBe(0n); // 0.5
    expect(applyBasisPoints(6n, 2_500n)).toBe(2n); // 1.5
    expect(applyBasisPoints(-6n, 2_500n)).toBe(-2n);
  });

  it('stays within half a nano of amount × bps / 10 000', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 100n), max: 2n ** 100n }),
        fc.bigInt({ min: 0n, max: 20_000n }),
        (amount, bps) => {
          expectRoundedHalfEven(applyBasisPoints(amount, bps), amount * bps, 10_000n);
        },
      ),
    );
  });
});

describe('prorate', () => {
  it('returns the proportional share of a fee', () => {
    expect(prorate(100n, 1n, 3n)).toBe(33n);
    expect(prorate(100n, 2n, 3n)).toBe(67n);
    expect(prorate(2_900_000_000n, 5_000_000_000n, 10_000_000_000n)).toBe(1_450_000_000n);
  });

  it('rounds a tie to the even nano', () => {
    expect(prorate(1n, 1n, 2n)).toBe(0n);
    expect(prorate(3n, 1n, 2n)).toBe(2n);
  });

  it('refuses a whole of zero', () => {
    expect(codeOf(() => prorate(100n, 0n, 0n))).toBe('division_by_zero');
  });

  it('stays within half a nano of amount × part / whole', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 100n), max: 2n ** 100n }),
        fc.bigInt({ min: 0n, max: 2n ** 60n }),
        nonZero(2n ** 60n),
        (amount, part, whole) => {
          expectRoundedHalfEven(prorate(amount, part, whole), amount * part, whole);
        },
      ),
    );
  });
});

describe('allocate', () => {
  it('splits evenly and gives a tied leftover to the lowest index', () => {
    expect(allocate(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
    expect(allocate(1n, [1n, 1n])).toEqual([1n, 0n]);
    expect(allocate(2n, [1n, 1n, 1n])).toEqual([1n, 1n, 0n]);
  });

  it('gives leftover nanos to the largest remainders first', () => {
    // Exact shares 1.67, 3.33, 5: floors sum to 9, the one leftover nano goes to the .67.
    expect(allocate(10n, [1n, 2n, 3n])).toEqual([2n, 3n, 5n]);
  });

  it('mirrors positive allocation for negative amounts', () => {
    expect(allocate(-100n, [1n, 1n, 1n])).toEqual([-34n, -33n, -33n]);
  });

  it('never gives anything to a zero weight', () => {
    expect(allocate(5n, [0n, 1n, 1n])).toEqual([0n, 3n, 2n]);
    expect(allocate(0n, [1n, 2n])).toEqual([0n, 0n]);
  });

  it.each([[[]], [[-1n, 2n]], [[0n, 0n]]])('rejects the weights %p', (weights) => {
    expect(codeOf(() => allocate(100n, weights))).toBe('invalid_weights');
  });

  const amounts = fc.bigInt({ min: -(2n ** 90n), max: 2n ** 90n });
  const weightLists = fc
    .array(fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 10n ** 12n })), { minLength: 1, maxLength: 12 })
    .filter((weights) => weights.some((weight) => weight > 0n));

  it('sums to exactly the amount, each part within one nano of its exact share', () => {
    fc.assert(
      fc.property(amounts, weightLists, (amount, weights) => {
        const parts = allocate(amount, weights);
        const total = weights.reduce((acc, weight) => acc + weight, 0n);
        expect(parts).toHaveLength(weights.length);
        expect(parts.reduce((acc, part) => acc + part, 0n)).toBe(amount);
        parts.forEach((part, index) => {
          // |part − amount·w/total| < 1  ⇔  |part·total − amount·w| < total
          expect(abs(part * total - amount * weights[index]) < total).toBe(true);
          if (weights[index] === 0n) expect(part).toBe(0n);
        });
      }),
    );
  });

  it('is symmetric for negative amounts', () => {
    fc.assert(
      fc.property(amounts, weightLists, (amount, weights) => {
        expect(allocate(-amount, weights)).toEqual(allocate(amount, weights).map((part) => -part));
      }),
    );
  });
});
