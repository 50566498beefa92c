/** Amounts are integers of 10^-9 major units ("nanos"), enough for sub-cent per-token prices. */
export const MONEY_SCALE = 9;
export const NANOS_PER_UNIT = 1_000_000_000n;

/** 10^exponent as a bigint; exponents are small table/option values, never amounts. */
export function pow10(exponent: number): bigint {
  return 10n ** BigInt(exponent);
}
