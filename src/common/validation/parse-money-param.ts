import { MoneyError, parseAmount, parseMinorAmount } from '../../../libs/money/src/index.js';
import { ApiError } from '../errors/api-error.js';

/**
 * Parses a request amount (decimal string, major units) into nanos; a malformed, zero or negative value is a
 * 400 whose `param` names the field. `minorUnitsOf` restricts it to whole minor units of that currency.
 */
export function parseMoneyParam(
  value: string,
  param: string,
  options: { allowZero?: boolean; minorUnitsOf?: string } = {},
): bigint {
  try {
    return options.minorUnitsOf
      ? parseMinorAmount(value, options.minorUnitsOf)
      : parseAmount(value, { allowZero: options.allowZero ?? false });
  } catch (error) {
    if (error instanceof MoneyError) throw ApiError.badRequest(error.code, error.message, param);
    throw error;
  }
}
