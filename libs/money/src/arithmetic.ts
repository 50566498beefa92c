import { moneyError } from './money.error.js';

/*
 * Every operation here is exact rational arithmetic on bigint followed by at most ONE rounding step, half to even
 * (banker's rounding). Half-even is unbiased: over many operations ties round up as often as down, so systematic
 * drift cannot accumulate in fees or usage charges. Bound for each result r of an exact value x: |r − x| ≤ ½ nano.
 */

const BASIS_POINTS_PER_WHOLE = 10_000n;

export interface UsageLine {
  /** Units consumed (tokens, calls, …). */
  quantity: bigint;
  /** Price in nanos for `perUnits` units, e.g. 3_000_000_000n ($3) per 1_000_000n tokens. */
  unitPriceNanos: bigint;
  /** Units the price is quoted for: 1_000_000n for per-1M-token prices, 1n for per-call prices. Must be > 0. */
  perUnits: bigint;
}

export interface RatedUsage {
  /** exactNumerator / denominator is the exact, unrounded charge in nanos, in lowest terms. Keep it for audits. */
  exactNumerator: bigint;
  /** Always > 0. */
  denominator: bigint;
  /** The charge in nanos, rounded once half-even: |amount − exactNumerator/denominator| ≤ ½ nano. */
  amount: bigint;
}

/**
 * numerator / denominator rounded to the nearest integer, ties to the even neighbour. Exact for any sign and size.
 * Guarantees 2·|q·d − n| ≤ |d|.
 */
export function divideRoundHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) {
    throw moneyError('division_by_zero', `Cannot divide ${numerator} by zero.`);
  }
  // Normalise to a positive divisor so only the numerator's sign decides the rounding direction.
  const n = denominator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const truncated = n / d; // toward zero
  const twiceRemainder = 2n * abs(n % d);
  const awayFromZero = twiceRemainder > d || (twiceRemainder === d && truncated % 2n !== 0n);
  if (!awayFromZero) return truncated;
  return n < 0n ? truncated - 1n : truncated + 1n;
}

/**
 * Rates one usage event: Σ quantity × unitPriceNanos / perUnits over all lines, summed exactly over a common
 * denominator and rounded ONCE. Rounding each token class separately would let per-line errors add up (up to
 * ½ nano per line); here the whole event is within ½ nano of the exact price.
 * Negative quantities or prices (credits) are rated symmetrically.
 */
export function rateUsage(lines: readonly UsageLine[]): RatedUsage {
  for (const [index, line] of lines.entries()) {
    if (line.perUnits <= 0n) {
      throw moneyError(
        'invalid_rate',
        `Usage line ${index} has perUnits ${line.perUnits}; it must be a positive integer.`,
      );
    }
  }
  const commonDenominator = lines.reduce((acc, line) => lcm(acc, line.perUnits), 1n);
  const numerator = lines.reduce(
    (acc, line) => acc + line.quantity * line.unitPriceNanos * (commonDenominator / line.perUnits),
    0n,
  );
  // Lowest terms make the stored exact value canonical: equal charges always serialise identically.
  const divisor = gcd(numerator, commonDenominator);
  const exactNumerator = numerator / divisor;
  const denominator = commonDenominator / divisor;
  return { exactNumerator, denominator, amount: divideRoundHalfEven(exactNumerator, denominator) };
}

/** amount × bps / 10 000, rounded once half-even (250n bps = 2.5 %). */
export function applyBasisPoints(amount: bigint, bps: bigint): bigint {
  return divideRoundHalfEven(amount * bps, BASIS_POINTS_PER_WHOLE);
}

/**
 * amount × part / whole, rounded once half-even: e.g. the share of a fee to refund for a partial refund.
 * Independent calls may not add up to `amount` (each rounds on its own); use `allocate` when parts must sum exactly.
 */
export function prorate(amount: bigint, part: bigint, whole: bigint): bigint {
  if (whole === 0n) {
    throw moneyError('division_by_zero', `Cannot prorate ${amount} over a whole of zero.`);
  }
  return divideRoundHalfEven(amount * part, whole);
}

/**
 * Splits `amount` into parts proportional to `weights` that sum to exactly `amount` (largest-remainder method).
 * Each part is its exact share rounded down or up, so it differs from the share by less than one nano.
 * Leftover nanos go to the largest remainders; equal remainders go to the lowest index, so results are deterministic.
 * Negative amounts mirror positive ones: allocate(−a, w) is allocate(a, w) negated.
 */
export function allocate(amount: bigint, weights: readonly bigint[]): bigint[] {
  assertValidWeights(weights);
  if (amount < 0n) return allocate(-amount, weights).map((part) => -part);

  const total = weights.reduce((acc, weight) => acc + weight, 0n);
  const parts = weights.map((weight) => (amount * weight) / total); // floor: everything is non-negative here
  const remainders = weights.map((weight) => (amount * weight) % total);
  let leftover = amount - parts.reduce((acc, part) => acc + part, 0n);

  // leftover < number of non-zero remainders, so zero-weight parts (remainder 0) never receive a nano.
  const order = weights
    .map((_, index) => index)
    .sort((a, b) => compareDescending(remainders[a], remainders[b]) || a - b);
  for (const index of order) {
    if (leftover === 0n) break;
    parts[index] += 1n;
    leftover -= 1n;
  }
  return parts;
}

function assertValidWeights(weights: readonly bigint[]): void {
  if (weights.length === 0) {
    throw moneyError('invalid_weights', 'Cannot allocate over an empty list of weights.');
  }
  const negative = weights.findIndex((weight) => weight < 0n);
  if (negative !== -1) {
    throw moneyError('invalid_weights', `Weight ${negative} is ${weights[negative]}; weights must not be negative.`);
  }
  if (weights.every((weight) => weight === 0n)) {
    throw moneyError('invalid_weights', 'Cannot allocate when every weight is zero; at least one must be positive.');
  }
}

function compareDescending(a: bigint, b: bigint): number {
  if (a === b) return 0;
  return a > b ? -1 : 1;
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

/** Greatest common divisor, always ≥ 0; gcd(0, b) = |b|. */
function gcd(a: bigint, b: bigint): bigint {
  let x = abs(a);
  let y = abs(b);
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** Least common multiple of two positive integers. */
function lcm(a: bigint, b: bigint): bigint {
  return (a / gcd(a, b)) * b;
}
