import fc from 'fast-check';

import { formatAmount, parseAmount, parseMinorAmount } from './amount.js';
import { SUPPORTED_CURRENCIES, getCurrency } from './currency.js';
import { MoneyError } from './money.error.js';
import { minorUnitsToNanos } from './minor-units.js';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 42), numRuns: Number(process.env.FC_RUNS ?? 200) });

const HUGE = 2n ** 200n;
const anyAmount = fc.bigInt({ min: -HUGE, max: HUGE });
const anyCurrency = fc.constantFrom(...SUPPORTED_CURRENCIES);

/** Runs `fn` and returns the MoneyError it throws, failing the test if it throws anything else or nothing. */
function moneyErrorOf(fn: () => unknown): MoneyError {
  try {
    fn();
  } catch (error) {
    if (error instanceof MoneyError) return error;
    throw error;
  }
  throw new Error('expected a MoneyError, but nothing was thrown');
}

/** 'accepted', or the MoneyError code thrown; any other exception propagates. */
function outcomeOf(fn: () => unknown): string {
  try {
    fn();
    return 'accepted';
  } catch (error) {
    if (error instanceof MoneyError) return error.code;
    throw error;
  }
}

describe('parseAmount', () => {
  it.each([
    ['0', 0n],
    ['1', 1_000_000_000n],
    ['12.5', 12_500_000_000n],
    ['12.50', 12_500_000_000n],
    ['0.000000001', 1n],
    ['123456789.123456789', 123_456_789_123_456_789n],
    ['007.50', 7_500_000_000n],
  ])('parses %j into exact nanos', (input, nanos) => {
    expect(parseAmount(input)).toBe(nanos);
  });

  it('parses integers far beyond 2^63 without loss', () => {
    expect(parseAmount('123456789012345678901234567890.000000001')).toBe(123456789012345678901234567890000000001n);
  });

  it.each([
    '',
    '.',
    '1.',
    '.5',
    '-.5',
    '-',
    '1e5',
    '1.5E-3',
    ' 1',
    '1 ',
    '1\n',
    '+1',
    'NaN',
    'Infinity',
    '-Infinity',
    '--1',
    '1,5',
    '1_000',
    '1.2.3',
    '0x10',
    '٣',
    '１',
    '12usd',
  ])('rejects %j as invalid_amount and names it in the message', (input) => {
    const error = moneyErrorOf(() => parseAmount(input, { allowNegative: true }));
    expect(error.code).toBe('invalid_amount');
    expect(error.message).toContain(JSON.stringify(input));
  });

  it('explains the likely mistake in a sentence', () => {
    expect(moneyErrorOf(() => parseAmount('1e5')).message).toBe(
      'Invalid amount "1e5": exponent notation is not accepted, write the number out in full.',
    );
    expect(moneyErrorOf(() => parseAmount('.5')).message).toContain('write "0.5", not ".5"');
    expect(moneyErrorOf(() => parseAmount('1.')).message).toContain('a digit is required after the "."');
    expect(moneyErrorOf(() => parseAmount('+1')).message).toContain('leading "+"');
    expect(moneyErrorOf(() => parseAmount(' 1')).message).toContain('whitespace');
    expect(moneyErrorOf(() => parseAmount('')).message).toContain('it is empty');
  });

  it('rejects a tenth decimal instead of rounding it away', () => {
    const error = moneyErrorOf(() => parseAmount('1.0000000001'));
    expect(error.code).toBe('too_many_decimals');
    expect(error.message).toBe('Invalid amount "1.0000000001": it has 10 decimal places, but at most 9 are allowed.');
  });

  it('counts decimals as written, so zeros past the limit are rejected too', () => {
    expect(parseAmount('1.50', { maxFractionDigits: 2 })).toBe(1_500_000_000n);
    const error = moneyErrorOf(() => parseAmount('1.500', { maxFractionDigits: 2 }));
    expect(error.code).toBe('too_many_decimals');
    expect(error.message).toContain('at most 2 are allowed');
  });

  it('says only whole numbers are allowed when maxFractionDigits is 0', () => {
    expect(moneyErrorOf(() => parseAmount('3.0', { maxFractionDigits: 0 })).message).toBe(
      'Invalid amount "3.0": it has 1 decimal place, but only whole numbers are allowed.',
    );
  });

  it('rejects a minus sign unless negatives are allowed', () => {
    const error = moneyErrorOf(() => parseAmount('-1.5'));
    expect(error.code).toBe('negative_amount');
    expect(error.message).toBe('Invalid amount "-1.5": it must not be negative.');
    expect(parseAmount('-1.5', { allowNegative: true })).toBe(-1_500_000_000n);
  });

  it('accepts zero by default and rejects it when allowZero is false', () => {
    expect(parseAmount('0.000')).toBe(0n);
    for (const input of ['0', '0.000', '-0']) {
      expect(moneyErrorOf(() => parseAmount(input, { allowZero: false, allowNegative: true })).code).toBe(
        'zero_amount',
      );
    }
  });

  it('rejects inputs longer than 1000 characters as amount_overflow, with a truncated echo', () => {
    expect(parseAmount('1'.repeat(1000))).toBe(BigInt('1'.repeat(1000)) * 1_000_000_000n);
    const error = moneyErrorOf(() => parseAmount('1'.repeat(1001)));
    expect(error.code).toBe('amount_overflow');
    expect(error.message.length).toBeLessThan(200);
  });

  it('rejects a JS number instead of coercing it', () => {
    expect(moneyErrorOf(() => parseAmount(12.5 as unknown as string)).code).toBe('invalid_amount');
  });

  it('treats an out-of-range maxFractionDigits as a programming error', () => {
    expect(() => parseAmount('1', { maxFractionDigits: 10 })).toThrow(RangeError);
    expect(() => parseAmount('1', { maxFractionDigits: 1.5 })).toThrow(RangeError);
  });

  it('accepts exactly the documented grammar and nothing else', () => {
    const decimalish = fc.string({
      unit: fc.constantFrom('0', '1', '9', '.', '-', '+', 'e', ' ', ',', '٣'),
      maxLength: 14,
    });
    fc.assert(
      fc.property(fc.oneof(fc.string(), decimalish), (input) => {
        const syntax = /^-?[0-9]+(?:\.([0-9]+))?$/.exec(input);
        const outcome = outcomeOf(() => parseAmount(input, { allowNegative: true }));
        if (syntax === null) expect(outcome).toBe('invalid_amount');
        else if ((syntax[1] ?? '').length > 9) expect(outcome).toBe('too_many_decimals');
        else expect(outcome).toBe('accepted');
      }),
    );
  });

  it('reads digits exactly as a decimal string', () => {
    const digits = (max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: max });
    fc.assert(
      fc.property(digits(70), fc.option(digits(9), { nil: undefined }), (integer, fraction) => {
        const input = fraction === undefined ? integer : `${integer}.${fraction}`;
        const expected = BigInt(integer) * 1_000_000_000n + BigInt((fraction ?? '').padEnd(9, '0'));
        expect(parseAmount(input)).toBe(expected);
      }),
    );
  });
});

describe('formatAmount', () => {
  it.each([
    [12_500_000_000n, '12.5'],
    [3_000_000_000n, '3'],
    [0n, '0'],
    [1n, '0.000000001'],
    [-1n, '-0.000000001'],
    [-12_500_000_000n, '-12.5'],
  ])('formats %p nanos as %j, stripping every trailing zero', (nanos, expected) => {
    expect(formatAmount(nanos)).toBe(expected);
  });

  it.each([
    [12_500_000_000n, 'usd', '12.50'],
    [150n, 'usd', '0.00000015'],
    [0n, 'usd', '0.00'],
    [-12_500_000_000n, 'usd', '-12.50'],
    [1_200_000_000_000n, 'jpy', '1200'],
    [1_200_500_000_000n, 'jpy', '1200.5'],
    [1_000_000_000n, 'kwd', '1.000'],
    [1_000_000_000n, 'clf', '1.0000'],
  ])('formats %p nanos of %s as %j, padded to the minor unit', (nanos, currency, expected) => {
    expect(formatAmount(nanos, currency)).toBe(expected);
  });

  it('round-trips through parseAmount for integers far beyond 2^63', () => {
    fc.assert(
      fc.property(anyAmount, (nanos) => {
        expect(parseAmount(formatAmount(nanos), { allowNegative: true })).toBe(nanos);
      }),
    );
  });

  it('round-trips through parseAmount when padded for a currency', () => {
    fc.assert(
      fc.property(anyAmount, anyCurrency, (nanos, currency) => {
        expect(parseAmount(formatAmount(nanos, currency), { allowNegative: true })).toBe(nanos);
      }),
    );
  });

  it('shows at least the currency minor-unit digits and no superfluous trailing zero', () => {
    fc.assert(
      fc.property(anyAmount, anyCurrency, (nanos, currency) => {
        const { exponent } = getCurrency(currency);
        const fraction = formatAmount(nanos, currency).split('.')[1] ?? '';
        expect(fraction.length).toBeGreaterThanOrEqual(exponent);
        expect(fraction.length).toBeLessThanOrEqual(9);
        if (fraction.length > exponent) expect(fraction.endsWith('0')).toBe(false);
      }),
    );
  });

  it('never prints a negative zero', () => {
    expect(formatAmount(-0n)).toBe('0');
  });

  it('rejects an upper-case currency code', () => {
    expect(moneyErrorOf(() => formatAmount(1n, 'USD')).code).toBe('unknown_currency');
  });

  it('rejects a JS number instead of a bigint', () => {
    expect(moneyErrorOf(() => formatAmount(1.5 as unknown as bigint)).code).toBe('invalid_amount');
  });
});

describe('parseMinorAmount', () => {
  it.each([
    ['12.50', 'usd', 12_500_000_000n],
    ['12.5', 'usd', 12_500_000_000n],
    ['12', 'usd', 12_000_000_000n],
    ['0.01', 'usd', 10_000_000n],
    ['1200', 'jpy', 1_200_000_000_000n],
    ['1.005', 'kwd', 1_005_000_000n],
    ['1.2345', 'clf', 1_234_500_000n],
  ])('parses %j %s into nanos', (input, currency, nanos) => {
    expect(parseMinorAmount(input, currency)).toBe(nanos);
  });

  it('rejects fractions of a cent and says how many decimals the currency allows', () => {
    const error = moneyErrorOf(() => parseMinorAmount('12.505', 'usd'));
    expect(error.code).toBe('too_many_decimals');
    expect(error.message).toBe('Invalid amount "12.505": it has 3 decimal places, but at most 2 are allowed for usd.');
  });

  it('rejects any decimals for a zero-exponent currency', () => {
    const error = moneyErrorOf(() => parseMinorAmount('1200.5', 'jpy'));
    expect(error.code).toBe('too_many_decimals');
    expect(error.message).toContain('only whole numbers are allowed for jpy');
  });

  it('rejects zero, negative and unknown-currency inputs', () => {
    expect(moneyErrorOf(() => parseMinorAmount('0.00', 'usd')).code).toBe('zero_amount');
    expect(moneyErrorOf(() => parseMinorAmount('-1', 'usd')).code).toBe('negative_amount');
    expect(moneyErrorOf(() => parseMinorAmount('1', 'USD')).code).toBe('unknown_currency');
  });

  it('accepts every positive whole number of minor units formatted for its currency', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 30n }), anyCurrency, (minor, currency) => {
        const nanos = minorUnitsToNanos(minor, currency);
        expect(parseMinorAmount(formatAmount(nanos, currency), currency)).toBe(nanos);
      }),
    );
  });
});
