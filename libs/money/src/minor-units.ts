import { getCurrency } from './currency.js';
import { MONEY_SCALE, pow10 } from './scale.js';

export interface MinorUnitSplit {
  /** Whole minor units (cents), truncated toward zero. */
  minorUnits: bigint;
  /** minorUnits expressed in nanos: the part that can actually be moved through a payment provider. */
  wholeNanos: bigint;
  /** nanos − wholeNanos: the sub-minor-unit residue, same sign as the input; the caller decides where it goes. */
  remainderNanos: bigint;
}

/** Nanos in one minor unit: 10_000_000n for usd (cent), 1_000_000_000n for jpy, 100_000n for clf. */
export function nanosPerMinorUnit(currency: string): bigint {
  return pow10(MONEY_SCALE - getCurrency(currency).exponent);
}

export function minorUnitsToNanos(minor: bigint, currency: string): bigint {
  return minor * nanosPerMinorUnit(currency);
}

/**
 * Splits nanos into what a provider can settle (whole minor units) and an explicit remainder.
 * Truncation toward zero, never rounding, so a payout can never exceed the balance it was drawn from.
 * Invariant: minorUnits * nanosPerMinorUnit(currency) + remainderNanos === nanos.
 */
export function splitMinorUnits(nanos: bigint, currency: string): MinorUnitSplit {
  const perMinorUnit = nanosPerMinorUnit(currency);
  const minorUnits = nanos / perMinorUnit; // bigint division truncates toward zero
  const wholeNanos = minorUnits * perMinorUnit;
  return { minorUnits, wholeNanos, remainderNanos: nanos - wholeNanos };
}
