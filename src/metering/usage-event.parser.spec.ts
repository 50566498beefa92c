import { MAX_QUANTITY, parseUsageEvent, type TimeWindow } from './usage-event.parser.js';

const now = new Date('2025-06-15T12:00:00Z');
const window: TimeWindow = { now, maxAgeMs: 35 * 86_400_000, maxAheadMs: 300_000 };
const base = {
  id: 'evt-1',
  timestamp: '2025-06-15T11:59:00Z',
  mandate: 'mandate_1',
  product: 'prod_1',
  quantities: { input_tokens: 10, output_tokens: 5 },
};

function codeOf(event: unknown): string | undefined {
  const result = parseUsageEvent(event, window);
  return result.ok ? undefined : result.rejection.code;
}

describe('parseUsageEvent', () => {
  it('accepts a well-formed event and normalises absent quantities to zero', () => {
    const result = parseUsageEvent(base, window);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event.quantities).toEqual({
      input_tokens: 10n,
      output_tokens: 5n,
      cached_input_tokens: 0n,
      cache_write_tokens: 0n,
      reasoning_tokens: 0n,
      calls: 0n,
    });
    expect(result.event.occurredAt.toISOString()).toBe('2025-06-15T11:59:00.000Z');
  });

  it('hashes content, not spelling', () => {
    const a = parseUsageEvent(base, window);
    const b = parseUsageEvent(
      {
        quantities: { output_tokens: 5, input_tokens: 10, calls: 0 },
        product: 'prod_1',
        mandate: 'mandate_1',
        timestamp: Math.floor(Date.parse('2025-06-15T11:59:00Z') / 1000),
        id: 'evt-1',
      },
      window,
    );
    const c = parseUsageEvent({ ...base, quantities: { input_tokens: 11, output_tokens: 5 } }, window);
    if (!a.ok || !b.ok || !c.ok) throw new Error('expected valid events');
    expect(a.event.contentHash.equals(b.event.contentHash)).toBe(true);
    expect(a.event.contentHash.equals(c.event.contentHash)).toBe(false);
  });

  it('rejects each kind of bad input with a stable code', () => {
    expect(codeOf('x')).toBe('invalid_event');
    expect(codeOf({ ...base, id: '' })).toBe('invalid_id');
    expect(codeOf({ ...base, id: 'has space' })).toBe('invalid_id');
    expect(codeOf({ ...base, extra: 1 })).toBe('unknown_parameter');
    expect(codeOf({ ...base, timestamp: '15/06/2025' })).toBe('invalid_timestamp');
    expect(codeOf({ ...base, timestamp: '2025-05-01T00:00:00Z' })).toBe('timestamp_too_old');
    expect(codeOf({ ...base, timestamp: '2025-06-15T12:06:00Z' })).toBe('timestamp_in_future');
    expect(codeOf({ ...base, mandate: 7 })).toBe('invalid_mandate');
    expect(codeOf({ ...base, product: undefined })).toBe('product_or_price_required');
    expect(codeOf({ ...base, price: 'price_1' })).toBe('product_and_price_given');
    expect(codeOf({ ...base, quantities: [] })).toBe('invalid_quantities');
    expect(codeOf({ ...base, quantities: {} })).toBe('invalid_quantities');
    expect(codeOf({ ...base, quantities: { tokens: 1 } })).toBe('invalid_quantities');
    expect(codeOf({ ...base, quantities: { input_tokens: -1 } })).toBe('invalid_quantity');
    expect(codeOf({ ...base, quantities: { input_tokens: 1.5 } })).toBe('invalid_quantity');
    expect(codeOf({ ...base, quantities: { input_tokens: '10' } })).toBe('invalid_quantity');
    expect(codeOf({ ...base, quantities: { input_tokens: MAX_QUANTITY + 1 } })).toBe('quantity_too_large');
    expect(codeOf({ ...base, quantities: { calls: 1e300 } })).toBe('quantity_too_large');
    expect(codeOf({ ...base, metadata: { a: 1 } })).toBe('invalid_metadata');
    expect(codeOf({ ...base, authorization: '' })).toBe('invalid_authorization');
  });
});
