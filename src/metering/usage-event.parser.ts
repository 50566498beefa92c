import { createHash } from 'node:crypto';
import { parseInstant } from '../catalog/instant.js';
import {
  QUANTITY_FIELDS,
  type ParsedUsageEvent,
  type Quantities,
  type QuantityField,
  type UsageRejection,
  rejection,
} from './usage-event.js';

const EVENT_FIELDS = new Set([
  'id',
  'timestamp',
  'mandate',
  'product',
  'price',
  'quantities',
  'authorization',
  'metadata',
]);
const QUANTITY_SET = new Set<string>(QUANTITY_FIELDS);

/**
 * A trillion units per quantity and event: far above any real request (a million-token context is 10^6), far
 * below anything that could overflow a rated amount, and safely an integer in every JSON parser.
 */
export const MAX_QUANTITY = 1_000_000_000_000;
const MAX_ID_LENGTH = 255;
const MAX_REFERENCE_LENGTH = 100;
/** Printable characters only: an id is echoed in responses, logs and CSV exports. */
const ID_PATTERN = /^[\x21-\x7e]+$/;

export interface TimeWindow {
  now: Date;
  /** Oldest accepted event age (USAGE_MAX_AGE_DAYS). */
  maxAgeMs: number;
  /** How far ahead of our clock an event may be (sender clock skew). */
  maxAheadMs: number;
}

export type ParseResult =
  { ok: true; event: ParsedUsageEvent } | { ok: false; eventId: string | null; rejection: UsageRejection };

function fail(eventId: string | null, code: UsageRejection['code'], message: string): ParseResult {
  return { ok: false, eventId, rejection: rejection(code, message) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function reference(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_REFERENCE_LENGTH && ID_PATTERN.test(value)
    ? value
    : null;
}

/**
 * Validates one raw event from a request body. Pure: the outcome depends only on the input and the window, so
 * a bad event is rejected on its own without touching its neighbours.
 */
export function parseUsageEvent(raw: unknown, window: TimeWindow): ParseResult {
  if (!isPlainObject(raw)) return fail(null, 'invalid_event', 'Each event must be a JSON object.');
  const id = raw.id;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH || !ID_PATTERN.test(id)) {
    return fail(null, 'invalid_id', `id must be a string of 1 to ${MAX_ID_LENGTH} printable characters.`);
  }
  for (const key of Object.keys(raw)) {
    if (!EVENT_FIELDS.has(key)) return fail(id, 'unknown_parameter', `Received unknown parameter: ${key}.`);
  }

  const occurredAt = parseInstant(raw.timestamp);
  if (!occurredAt) {
    return fail(
      id,
      'invalid_timestamp',
      'timestamp must be unix seconds or an RFC 3339 date-time with an offset, e.g. "2025-06-01T12:00:00Z".',
    );
  }
  const age = window.now.getTime() - occurredAt.getTime();
  if (age > window.maxAgeMs) {
    return fail(
      id,
      'timestamp_too_old',
      `timestamp is more than ${Math.floor(window.maxAgeMs / 86_400_000)} days old; such usage can no longer be billed.`,
    );
  }
  if (-age > window.maxAheadMs) {
    return fail(
      id,
      'timestamp_in_future',
      `timestamp is more than ${Math.floor(window.maxAheadMs / 1000)} seconds ahead of the platform clock.`,
    );
  }

  const mandateId = reference(raw.mandate);
  if (!mandateId) return fail(id, 'invalid_mandate', 'mandate must name a mandate id (mandate_…).');
  if (raw.product !== undefined && raw.price !== undefined) {
    return fail(id, 'product_and_price_given', 'Name either product (rated at its price in force) or price, not both.');
  }
  if (raw.product === undefined && raw.price === undefined) {
    return fail(id, 'product_or_price_required', 'Name the product (or a price) this usage is billed for.');
  }
  const productId = raw.product === undefined ? null : reference(raw.product);
  if (raw.product !== undefined && !productId) return fail(id, 'invalid_product', 'product must be a product id.');
  const priceId = raw.price === undefined ? null : reference(raw.price);
  if (raw.price !== undefined && !priceId) return fail(id, 'invalid_price', 'price must be a price id.');

  const authorizationId = raw.authorization === undefined ? null : reference(raw.authorization);
  if (raw.authorization !== undefined && !authorizationId) {
    return fail(id, 'invalid_authorization', 'authorization must be an authorization id.');
  }

  if (!isPlainObject(raw.quantities)) {
    return fail(id, 'invalid_quantities', `quantities must be an object of ${QUANTITY_FIELDS.join(', ')}.`);
  }
  const quantities = {} as Quantities;
  let reported = 0;
  for (const key of Object.keys(raw.quantities)) {
    if (!QUANTITY_SET.has(key)) {
      return fail(id, 'invalid_quantities', `Unknown quantity ${key}; use ${QUANTITY_FIELDS.join(', ')}.`);
    }
  }
  for (const field of QUANTITY_FIELDS) {
    const value = raw.quantities[field];
    if (value === undefined) {
      quantities[field] = 0n;
      continue;
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      return fail(id, 'invalid_quantity', `quantities.${field} must be a whole number of at least 0.`);
    }
    if (value > MAX_QUANTITY) {
      return fail(id, 'quantity_too_large', `quantities.${field} is above the limit of ${MAX_QUANTITY} per event.`);
    }
    quantities[field] = BigInt(value);
    reported++;
  }
  if (reported === 0) return fail(id, 'invalid_quantities', 'quantities must report at least one quantity.');

  let metadata: Record<string, string> | null = null;
  if (raw.metadata !== undefined) {
    const value = raw.metadata;
    const valid =
      isPlainObject(value) &&
      Object.keys(value).length <= 50 &&
      Object.entries(value).every(([k, v]) => k.length <= 40 && typeof v === 'string' && v.length <= 500);
    if (!valid) {
      return fail(id, 'invalid_metadata', 'metadata must be at most 50 string keys (40 characters) and values (500).');
    }
    metadata = value as Record<string, string>;
  }

  return {
    ok: true,
    event: {
      eventId: id,
      occurredAt,
      mandateId,
      productId,
      priceId,
      quantities,
      authorizationId,
      metadata,
      contentHash: contentHash(occurredAt, mandateId, productId, priceId, quantities, authorizationId, metadata),
    },
  };
}

function contentHash(
  occurredAt: Date,
  mandateId: string,
  productId: string | null,
  priceId: string | null,
  quantities: Quantities,
  authorizationId: string | null,
  metadata: Record<string, string> | null,
): Buffer {
  // Normalised: the instant rather than its spelling, absent quantities as 0, metadata keys sorted.
  const parts: string[] = [
    String(occurredAt.getTime()),
    mandateId,
    productId ?? '',
    priceId ?? '',
    ...QUANTITY_FIELDS.map((field: QuantityField) => quantities[field].toString()),
    authorizationId ?? '',
  ];
  if (metadata) {
    for (const key of Object.keys(metadata).sort()) parts.push(`${key}=${metadata[key]}`);
  }
  return createHash('sha256').update(JSON.stringify(parts)).digest();
}
