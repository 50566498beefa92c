import * as money from './index.js';

describe('public API', () => {
  it('exports exactly the agreed names', () => {
    expect(Object.keys(money).sort()).toEqual(
      [
        'MONEY_SCALE',
        'MoneyError',
        'NANOS_PER_UNIT',
        'SUPPORTED_CURRENCIES',
        'allocate',
        'applyBasisPoints',
        'divideRoundHalfEven',
        'formatAmount',
        'getCurrency',
        'isCurrency',
        'minorUnitsToNanos',
        'nanosPerMinorUnit',
        'parseAmount',
        'parseMinorAmount',
        'prorate',
        'rateUsage',
        'splitMinorUnits',
      ].sort(),
    );
  });

  it('uses nine decimal places of the major unit', () => {
    expect(money.MONEY_SCALE).toBe(9);
    expect(money.NANOS_PER_UNIT).toBe(10n ** 9n);
  });

  it('throws MoneyError, an Error carrying a stable code', () => {
    const error = new money.MoneyError('invalid_amount', 'Invalid amount "x".');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('MoneyError');
    expect(error.code).toBe('invalid_amount');
    expect(error.message).toBe('Invalid amount "x".');
  });
});
