/**
 * Stable, machine-readable codes for every failure this library reports.
 * Callers map them to API errors, so treat the strings as a public contract: add codes, never rename them.
 */
export type MoneyErrorCode =
  | 'invalid_amount'
  | 'too_many_decimals'
  | 'negative_amount'
  | 'zero_amount'
  | 'amount_overflow'
  | 'unknown_currency'
  | 'division_by_zero'
  | 'invalid_rate'
  | 'invalid_weights';

/** The only error type thrown for bad money input; `message` is a human sentence naming the offending value. */
export class MoneyError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'MoneyError';
  }
}

/** Internal constructor that keeps our own codes checked by the compiler. */
export function moneyError(code: MoneyErrorCode, message: string): MoneyError {
  return new MoneyError(code, message);
}
