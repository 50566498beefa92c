import { getCurrency } from './currency.js';
import { moneyError } from './money.error.js';
import { MONEY_SCALE, NANOS_PER_UNIT } from './scale.js';

export interface ParseAmountOptions {
  /** Accept a leading "-". Default false: most inputs (prices, top-ups) must not be negative. */
  allowNegative?: boolean;
  /** Accept a value equal to zero. Default true. */
  allowZero?: boolean;
  /** Most fractional digits accepted, 0–9. Default 9 (one nano). Extra digits are rejected, never rounded. */
  maxFractionDigits?: number;
}

/*
 * The whole grammar: optional "-", ASCII digits, optionally "." and at least one more ASCII digit.
 * [0-9] rather than \d documents that other scripts' digits ("٣", "３") are not numbers here.
 * Leading zeros ("007.50") are accepted: unambiguous, and some upstream systems zero-pad.
 */
const AMOUNT_PATTERN = /^(-?)([0-9]+)(?:\.([0-9]+))?$/;

/** "1e5", "1.5E-3": what JSON.stringify or a spreadsheet emits for a float; recognised only to explain the rejection. */
const EXPONENT_PATTERN = /^[-+]?[0-9.]+[eE][-+]?[0-9]+$/;

/*
 * bigint has no overflow, but BigInt() on a multi-megabyte digit string costs real CPU, so request input is capped.
 * 1,000 characters is ~10^990 units: far beyond any real amount, far below anything that hurts.
 */
const MAX_AMOUNT_LENGTH = 1000;

/** How much of an offending input is echoed into an error message. */
const MAX_SHOWN_LENGTH = 40;

/**
 * Parses a plain decimal string ("12.50", "0.000000015") into nanos, exactly.
 * Rejects rather than guesses: no exponent, sign "+", spaces, separators, "NaN"/"Infinity", "", ".", "1." or ".5".
 */
export function parseAmount(input: string, opts: ParseAmountOptions = {}): bigint {
  const maxFractionDigits = opts.maxFractionDigits ?? MONEY_SCALE;
  if (!Number.isInteger(maxFractionDigits) || maxFractionDigits < 0 || maxFractionDigits > MONEY_SCALE) {
    // A caller bug, not bad user input, hence not a MoneyError.
    throw new RangeError(`maxFractionDigits must be an integer from 0 to ${MONEY_SCALE}, got ${maxFractionDigits}.`);
  }
  return parseDecimal(input, {
    allowNegative: opts.allowNegative ?? false,
    allowZero: opts.allowZero ?? true,
    maxFractionDigits,
  });
}

/**
 * Parses a positive, non-zero amount written in whole minor units of `currency` at most ("12.50" usd, "1200" jpy),
 * for top-ups and payouts that must settle without a sub-cent remainder. Returns nanos.
 */
export function parseMinorAmount(input: string, currency: string): bigint {
  const { code, exponent } = getCurrency(currency);
  return parseDecimal(input, { allowNegative: false, allowZero: false, maxFractionDigits: exponent, currency: code });
}

/**
 * Exact decimal string for `nanos`. Trailing fractional zeros are stripped, except that with a currency the fraction
 * is padded to at least the currency's minor-unit digits ("12.50" usd, "1200" jpy, "0.00000015" usd).
 */
export function formatAmount(nanos: bigint, currency?: string): string {
  if (typeof nanos !== 'bigint') {
    throw moneyError(
      'invalid_amount',
      `Cannot format ${String(nanos)} (${typeof nanos}): amounts must be bigint nanos.`,
    );
  }
  const minFractionDigits = currency === undefined ? 0 : getCurrency(currency).exponent;
  const magnitude = nanos < 0n ? -nanos : nanos;
  const units = magnitude / NANOS_PER_UNIT;
  const fraction = trimTrailingZeros(
    (magnitude % NANOS_PER_UNIT).toString().padStart(MONEY_SCALE, '0'),
    minFractionDigits,
  );
  const sign = nanos < 0n ? '-' : '';
  return fraction === '' ? `${sign}${units}` : `${sign}${units}.${fraction}`;
}

interface DecimalRules {
  allowNegative: boolean;
  allowZero: boolean;
  maxFractionDigits: number;
  /** Named in the too-many-decimals message when the limit comes from a currency. */
  currency?: string;
}

function parseDecimal(input: string, rules: DecimalRules): bigint {
  if (typeof input !== 'string') {
    throw moneyError(
      'invalid_amount',
      `Invalid amount ${String(input)} (${typeof input}): amounts must be decimal strings such as "12.50".`,
    );
  }
  if (input.length > MAX_AMOUNT_LENGTH) {
    throw moneyError(
      'amount_overflow',
      `Invalid amount ${show(input)}: it is ${input.length} characters long, at most ${MAX_AMOUNT_LENGTH} are accepted.`,
    );
  }
  const match = AMOUNT_PATTERN.exec(input);
  if (match === null) {
    throw moneyError('invalid_amount', `Invalid amount ${show(input)}: ${describeSyntaxError(input)}.`);
  }
  const [, sign, integerDigits, fractionDigits = ''] = match;

  if (sign === '-' && !rules.allowNegative) {
    throw moneyError('negative_amount', `Invalid amount ${show(input)}: it must not be negative.`);
  }
  if (fractionDigits.length > rules.maxFractionDigits) {
    throw moneyError(
      'too_many_decimals',
      `Invalid amount ${show(input)}: ${describeDecimalLimit(fractionDigits.length, rules)}.`,
    );
  }
  const magnitude = BigInt(integerDigits) * NANOS_PER_UNIT + BigInt(fractionDigits.padEnd(MONEY_SCALE, '0'));
  if (magnitude === 0n && !rules.allowZero) {
    throw moneyError('zero_amount', `Invalid amount ${show(input)}: it must be greater than zero.`);
  }
  return sign === '-' ? -magnitude : magnitude;
}

/** Names the most likely mistake so an API client can fix its request without reading our source. */
function describeSyntaxError(input: string): string {
  const expected = 'expected digits with an optional "." followed by digits, such as "12.50"';
  if (input === '') return `it is empty; ${expected}`;
  if (/\s/.test(input)) return `it contains whitespace; ${expected}`;
  if (EXPONENT_PATTERN.test(input)) return 'exponent notation is not accepted, write the number out in full';
  if (input.startsWith('+')) return `a leading "+" is not accepted, write the number without a sign`;
  if (/^-?\./.test(input)) return `a digit is required before the "." (write "0.5", not ".5")`;
  if (/^-?[0-9]+\.$/.test(input)) return `a digit is required after the "." (write "1" or "1.0", not "1.")`;
  return `it is not a plain decimal number; ${expected}`;
}

function describeDecimalLimit(found: number, rules: DecimalRules): string {
  const has = `it has ${found} decimal place${found === 1 ? '' : 's'}`;
  const scope = rules.currency === undefined ? '' : ` for ${rules.currency}`;
  if (rules.maxFractionDigits === 0) return `${has}, but only whole numbers are allowed${scope}`;
  return `${has}, but at most ${rules.maxFractionDigits} ${rules.maxFractionDigits === 1 ? 'is' : 'are'} allowed${scope}`;
}

function trimTrailingZeros(digits: string, keep: number): string {
  let end = digits.length;
  while (end > keep && digits[end - 1] === '0') end -= 1;
  return digits.slice(0, end);
}

/** Quotes the input (so whitespace and "" are visible) and truncates it so a huge payload cannot flood logs. */
function show(input: string): string {
  return input.length <= MAX_SHOWN_LENGTH
    ? JSON.stringify(input)
    : `${JSON.stringify(input.slice(0, MAX_SHOWN_LENGTH))}…`;
}
