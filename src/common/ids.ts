import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Object ids are `<prefix>_<26 chars>`: 48 bits of milliseconds then 80 random bits, Crockford base32.
 * They sort by creation time, so "newest first" cursor pagination is an index scan on the primary key.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  let time = BigInt(now);
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[Number(time & 31n)] + out;
    time >>= 5n;
  }
  const random = randomBytes(10);
  let bits = 0n;
  for (const byte of random) bits = (bits << 8n) | BigInt(byte);
  let tail = '';
  for (let i = 0; i < 16; i++) {
    tail = CROCKFORD[Number(bits & 31n)] + tail;
    bits >>= 5n;
  }
  return `${prefix}_${out}${tail}`;
}
