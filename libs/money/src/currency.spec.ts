import { SUPPORTED_CURRENCIES, getCurrency, isCurrency } from './currency.js';
import { MoneyError } from './money.error.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof MoneyError) return error.code;
    throw error;
  }
  return undefined;
}

describe('currency table', () => {
  it('gives every currency an ISO exponent of 0, 2, 3 or 4', () => {
    for (const code of SUPPORTED_CURRENCIES) expect([0, 2, 3, 4]).toContain(getCurrency(code).exponent);
  });

  it.each([
    'bif',
    'clp',
    'djf',
    'gnf',
    'isk',
    'jpy',
    'kmf',
    'krw',
    'pyg',
    'rwf',
    'ugx',
    'uyi',
    'vnd',
    'vuv',
    'xaf',
    'xof',
    'xpf',
  ])('has no minor unit for %s', (code) => {
    expect(getCurrency(code).exponent).toBe(0);
  });

  it.each(['bhd', 'iqd', 'jod', 'kwd', 'lyd', 'omr', 'tnd'])('uses three decimals for %s', (code) => {
    expect(getCurrency(code).exponent).toBe(3);
  });

  it.each(['clf', 'uyw'])('uses four decimals for %s', (code) => {
    expect(getCurrency(code).exponent).toBe(4);
  });

  it.each(['usd', 'eur', 'gbp', 'chf', 'cad', 'aud', 'inr', 'brl', 'mxn', 'huf', 'twd', 'xcg', 'zwg', 'sle'])(
    'uses two decimals for %s',
    (code) => {
      expect(getCurrency(code).exponent).toBe(2);
    },
  );

  it('lists each active ISO 4217 code once, lower-case and sorted', () => {
    expect(SUPPORTED_CURRENCIES).toHaveLength(165);
    expect(new Set(SUPPORTED_CURRENCIES).size).toBe(SUPPORTED_CURRENCIES.length);
    for (const code of SUPPORTED_CURRENCIES) expect(code).toMatch(/^[a-z]{3}$/);
    expect([...SUPPORTED_CURRENCIES].sort()).toEqual(SUPPORTED_CURRENCIES);
  });

  it('leaves out withdrawn codes and codes without a minor unit', () => {
    for (const code of ['bgn', 'hrk', 'ang', 'cuc', 'sll', 'zwl', 'vef', 'xau', 'xag', 'xdr', 'xts', 'xxx']) {
      expect(isCurrency(code)).toBe(false);
    }
  });

  it('cannot be mutated by a caller', () => {
    expect(Object.isFrozen(SUPPORTED_CURRENCIES)).toBe(true);
    expect(Object.isFrozen(getCurrency('usd'))).toBe(true);
  });
});

describe('getCurrency', () => {
  it('returns the code and exponent', () => {
    expect(getCurrency('usd')).toEqual({ code: 'usd', exponent: 2 });
  });

  it('rejects an upper-case code and suggests the lower-case one', () => {
    expect(codeOf(() => getCurrency('USD'))).toBe('unknown_currency');
    expect(() => getCurrency('USD')).toThrow('Unknown currency "USD": currency codes are lower-case, use "usd".');
  });

  it('rejects codes that are not in the table', () => {
    for (const code of ['', 'abc', 'us', 'usdd', ' usd', 'constructor', '__proto__', 'toString']) {
      expect(codeOf(() => getCurrency(code))).toBe('unknown_currency');
    }
    expect(() => getCurrency('abc')).toThrow(
      'Unknown currency "abc": expected a lower-case ISO 4217 code such as "usd" or "eur".',
    );
  });

  it('rejects a non-string code', () => {
    expect(codeOf(() => getCurrency(840 as unknown as string))).toBe('unknown_currency');
  });
});

describe('isCurrency', () => {
  it('accepts supported lower-case codes only', () => {
    expect(isCurrency('usd')).toBe(true);
    expect(isCurrency('jpy')).toBe(true);
    expect(isCurrency('USD')).toBe(false);
    expect(isCurrency('constructor')).toBe(false);
    expect(isCurrency(undefined as unknown as string)).toBe(false);
  });
});
