import { rateUsage, type UsageLine } from '../../libs/money/src/index.js';
import { type Price, type TokenClass, tokenPrice } from '../catalog/price.entity.js';
import type { Quantities, QuantityField, UsageRejection } from './usage-event.js';
import { rejection } from './usage-event.js';

const TOKENS_PER_PRICE_UNIT = 1_000_000n;

/** Which price field rates which quantity. */
export const TOKEN_CLASS_OF: Record<Exclude<QuantityField, 'calls'>, TokenClass> = {
  input_tokens: 'input',
  output_tokens: 'output',
  cached_input_tokens: 'cached_input',
  cache_write_tokens: 'cache_write',
  reasoning_tokens: 'reasoning',
};

/**
 * Anything at or above 10^36 nanos (10^27 major units) is a unit mix-up, not usage; it would also not fit the
 * NUMERIC(38,0) ledger columns.
 */
const MAX_AMOUNT = 10n ** 36n;

export interface RatedEvent {
  /** The charge, nanos: the exact cost rounded once, half-even, then raised to the price's minimum. */
  amount: bigint;
  /** The exact, unrounded cost as a fraction in lowest terms (before the minimum), kept for audits. */
  exactNumerator: bigint;
  exactDenominator: bigint;
}

/**
 * Rates one event's quantities with one price version: Σ quantity × price / units over every reported quantity,
 * summed exactly and rounded once (libs/money rateUsage). A quantity above zero that the version does not price
 * is refused: pricing it at zero would silently give usage away.
 */
export function rateEvent(
  price: Price,
  quantities: Quantities,
): { ok: true; rated: RatedEvent } | { ok: false; rejection: UsageRejection } {
  const lines: UsageLine[] = [];
  for (const [field, tokenClass] of Object.entries(TOKEN_CLASS_OF) as Array<[QuantityField, TokenClass]>) {
    const quantity = quantities[field];
    if (quantity === 0n) continue;
    const unitPrice = tokenPrice(price, tokenClass);
    if (unitPrice === null) {
      return {
        ok: false,
        rejection: rejection('unpriced_quantity', `Price ${price.id} does not price ${field}; nothing was charged.`),
      };
    }
    lines.push({ quantity, unitPriceNanos: unitPrice, perUnits: TOKENS_PER_PRICE_UNIT });
  }
  if (quantities.calls > 0n) {
    if (price.perCall === null) {
      return {
        ok: false,
        rejection: rejection('unpriced_quantity', `Price ${price.id} does not price calls; nothing was charged.`),
      };
    }
    lines.push({ quantity: quantities.calls, unitPriceNanos: price.perCall, perUnits: 1n });
  }
  const rated = rateUsage(lines);
  const amount = rated.amount < price.minimumPerEvent ? price.minimumPerEvent : rated.amount;
  if (amount >= MAX_AMOUNT) {
    return { ok: false, rejection: rejection('amount_too_large', 'The rated amount is beyond any real charge.') };
  }
  return {
    ok: true,
    rated: { amount, exactNumerator: rated.exactNumerator, exactDenominator: rated.denominator },
  };
}
