import { newId } from './ids.js';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

function decodeTime(id: string): number {
  return [...id.split('_')[1].slice(0, 10)].reduce((value, char) => value * 32 + CROCKFORD.indexOf(char), 0);
}

describe('newId', () => {
  it('is the prefix, then 10 characters of milliseconds and 16 random ones, in Crockford base32', () => {
    const id = newId('pay', 1_764_800_000_123);
    expect(id).toMatch(/^pay_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(decodeTime(id)).toBe(1_764_800_000_123);
  });

  it('encodes the largest 48-bit time exactly', () => {
    expect(decodeTime(newId('x', 2 ** 48 - 1))).toBe(2 ** 48 - 1);
    expect(newId('x', 2 ** 48 - 1).slice(2, 12)).toBe('7zzzzzzzzz');
  });

  it('sorts by creation time', () => {
    const ids = [5, 1_000, 1_764_800_000_000, 1_764_800_000_001].map((ms) => newId('evt', ms));
    expect([...ids].sort()).toEqual(ids);
  });

  it('draws fresh random bits for every id, across refills of the random pool', () => {
    const ids = new Set(Array.from({ length: 5_000 }, () => newId('evt', 0)));
    expect(ids.size).toBe(5_000);
    const tails = [...ids].map((id) => id.slice(-16));
    // Every position of the random part takes many values: no constant or stuck bits.
    for (let position = 0; position < 16; position++) {
      expect(new Set(tails.map((tail) => tail[position])).size).toBe(32);
    }
  });
});
