import fc from 'fast-check';

import { SUPPORTED_CURRENCIES } from './currency.js';
import { MoneyError } from './money.error.js';
import { minorUnitsToNanos, nanosPerMinorUnit, splitMinorUnits } from './minor-units.js';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 42), numRuns: Number(process.env.FC_RUNS ?? 200) });

const HUGE = 2n ** 200n;

describe('nanosPerMinorUnit', () => {
  it.each([
    ['usd', 10_000_000n],
    ['jpy', 1_000_000_000n],
    ['kwd', 1_000_000n],
    ['clf', 100_000n],
  ])('counts the nanos in one minor unit of %s', (currency, nanos) => {
    expect(nanosPerMinorUnit(currency)).toBe(nanos);
  });

  it('rejects an unknown currency', () => {
    expect(() => nanosPerMinorUnit('USD')).toThrow(MoneyError);
  });
});

describe('minorUnitsToNanos', () => {
  it('converts cents and yen to nanos', () => {
    expect(minorUnitsToNanos(1250n, 'usd')).toBe(12_500_000_000n);
    expect(minorUnitsToNanos(1200n, 'jpy')).toBe(1_200_000_000_000n);
    expect(minorUnitsToNanos(-5n, 'usd')).toBe(-50_000_000n);
  });
});

describe('splitMinorUnits', () => {
  it('keeps the sub-cent residue as an explicit remainder', () => {
    expect(splitMinorUnits(12_345_678_901n, 'usd')).toEqual({
      minorUnits: 1234n,
      wholeNanos: 12_340_000_000n,
      remainderNanos: 5_678_901n,
    });
  });

  it('truncates toward zero for negative amounts', () => {
    expect(splitMinorUnits(-12_345_678_901n, 'usd')).toEqual({
      minorUnits: -1234n,
      wholeNanos: -12_340_000_000n,
      remainderNanos: -5_678_901n,
    });
    expect(splitMinorUnits(-150n, 'usd')).toEqual({ minorUnits: 0n, wholeNanos: 0n, remainderNanos: -150n });
  });

  it('leaves no remainder on whole minor units', () => {
    expect(splitMinorUnits(1_200_000_000_000n, 'jpy')).toEqual({
      minorUnits: 1200n,
      wholeNanos: 1_200_000_000_000n,
      remainderNanos: 0n,
    });
  });

  it('reassembles exactly and never settles more than the amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -HUGE, max: HUGE }), fc.constantFrom(...SUPPORTED_CURRENCIES), (nanos, currency) => {
        const perMinorUnit = nanosPerMinorUnit(currency);
        const { minorUnits, wholeNanos, remainderNanos } = splitMinorUnits(nanos, currency);
        expect(minorUnits * perMinorUnit + remainderNanos).toBe(nanos);
        expect(wholeNanos).toBe(minorUnits * perMinorUnit);
        const magnitude = remainderNanos < 0n ? -remainderNanos : remainderNanos;
        expect(magnitude < perMinorUnit).toBe(true);
        // Remainder shares the amount's sign, so |wholeNanos| ≤ |nanos|.
        expect(remainderNanos === 0n || remainderNanos < 0n === nanos < 0n).toBe(true);
      }),
    );
  });
});
