import type { DeclineCode } from '../mandates/use-cases/spend-from-mandate/spend.types.js';

/** The quantities a usage event may report, as named on the wire. */
export const QUANTITY_FIELDS = [
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'calls',
] as const;
export type QuantityField = (typeof QUANTITY_FIELDS)[number];
export type Quantities = Record<QuantityField, bigint>;

/** A usage event that passed validation: ids still unresolved, nothing rated yet. */
export interface ParsedUsageEvent {
  /** The vendor's id, unique per vendor. */
  eventId: string;
  occurredAt: Date;
  mandateId: string;
  productId: string | null;
  priceId: string | null;
  quantities: Quantities;
  authorizationId: string | null;
  metadata: Record<string, string> | null;
  /** SHA-256 of the canonical content: the same event sent twice hashes the same, whatever its JSON spelling. */
  contentHash: Buffer;
}

/** Why an event was not accepted. Stable codes: clients branch on them. */
export type UsageRejectionCode =
  // the event itself
  | 'invalid_event'
  | 'unknown_parameter'
  | 'invalid_id'
  | 'invalid_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'invalid_mandate'
  | 'product_or_price_required'
  | 'product_and_price_given'
  | 'invalid_product'
  | 'invalid_price'
  | 'invalid_quantities'
  | 'invalid_quantity'
  | 'quantity_too_large'
  | 'invalid_metadata'
  | 'invalid_authorization'
  // its id: accepted before (or earlier in the same request) with other content
  | 'event_id_conflict'
  // what it refers to
  | 'mandate_not_found'
  | 'product_not_found'
  | 'price_not_found'
  | 'product_archived'
  | 'no_price_in_force'
  | 'price_not_in_force'
  | 'unpriced_quantity'
  | 'amount_too_large'
  | 'authorization_not_found'
  | 'authorization_mismatch'
  | 'authorization_not_active'
  | 'authorization_expired'
  | 'authorization_exceeded'
  // the spend decision (mandates module), passed through unchanged
  | DeclineCode;

export interface UsageRejection {
  code: UsageRejectionCode;
  message: string;
}

export function rejection(code: UsageRejectionCode, message: string): UsageRejection {
  return { code, message };
}
