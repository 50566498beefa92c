export { MONEY_SCALE, NANOS_PER_UNIT } from './scale.js';
export { MoneyError, type MoneyErrorCode } from './money.error.js';
export { formatAmount, parseAmount, parseMinorAmount, type ParseAmountOptions } from './amount.js';
export { getCurrency, isCurrency, SUPPORTED_CURRENCIES, type Currency } from './currency.js';
export { minorUnitsToNanos, nanosPerMinorUnit, splitMinorUnits, type MinorUnitSplit } from './minor-units.js';
export {
  allocate,
  applyBasisPoints,
  divideRoundHalfEven,
  prorate,
  rateUsage,
  type RatedUsage,
  type UsageLine,
} from './arithmetic.js';
