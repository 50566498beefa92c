import { parseInstant } from './instant.js';

describe('parseInstant', () => {
  it('reads unix seconds and RFC 3339 date-times with an offset', () => {
    expect(parseInstant(1_750_000_000)?.toISOString()).toBe('2025-06-15T15:06:40.000Z');
    expect(parseInstant('2025-06-01T12:00:00.250Z')?.toISOString()).toBe('2025-06-01T12:00:00.250Z');
    expect(parseInstant('2025-06-01T14:00:00+02:00')?.toISOString()).toBe('2025-06-01T12:00:00.000Z');
    expect(parseInstant('2025-06-01T00:30:00-05:00')?.toISOString()).toBe('2025-06-01T05:30:00.000Z');
  });

  it('refuses anything ambiguous or malformed', () => {
    for (const value of [
      '2025-06-01',
      '2025-06-01T12:00:00',
      '2025-02-30T00:00:00Z',
      'yesterday',
      '',
      1_750_000_000_000,
      1.5,
      -1,
      null,
      undefined,
      {},
      '1750000000',
    ]) {
      expect(parseInstant(value)).toBeNull();
    }
  });
});
