import { randomFillSync } from 'node:crypto';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** Random bytes are drawn from the CSPRNG 4 KiB at a time: one call per ~400 ids instead of one per id. */
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

function randomBytes10(): number {
  if (poolOffset + 10 > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const offset = poolOffset;
  poolOffset += 10;
  return offset;
}

/** Five bytes (40 bits) as eight Crockford base32 characters, most significant first. */
function fiveBytes(offset: number): string {
  // Two 20-bit halves keep every step within exact integer arithmetic.
  const high = (pool[offset] << 12) | (pool[offset + 1] << 4) | (pool[offset + 2] >> 4);
  const low = ((pool[offset + 2] & 15) << 16) | (pool[offset + 3] << 8) | pool[offset + 4];
  return (
    CROCKFORD[(high >> 15) & 31] +
    CROCKFORD[(high >> 10) & 31] +
    CROCKFORD[(high >> 5) & 31] +
    CROCKFORD[high & 31] +
    CROCKFORD[(low >> 15) & 31] +
    CROCKFORD[(low >> 10) & 31] +
    CROCKFORD[(low >> 5) & 31] +
    CROCKFORD[low & 31]
  );
}

/**
 * Object ids are `<prefix>_<26 chars>`: 48 bits of milliseconds then 80 random bits, Crockford base32.
 * They sort by creation time, so "newest first" cursor pagination is an index scan on the primary key.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  let time = '';
  let rest = Math.floor(now);
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }
  const offset = randomBytes10();
  return `${prefix}_${time}${fiveBytes(offset)}${fiveBytes(offset + 5)}`;
}
