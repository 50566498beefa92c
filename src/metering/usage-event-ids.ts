import { randomFillSync } from 'node:crypto';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';
const POOL_BYTES = 10 * 1024;

/**
 * Ids for usage events in bulk: the same shape as common/ids newId (`ue_`, 10 characters of milliseconds, 16
 * random characters; time-sortable), with the randomness drawn from a pool refilled 1,024 ids at a time
 * instead of one call into the CSPRNG per id, which showed up in ingestion profiles.
 */
export class UsageEventIds {
  private readonly pool = Buffer.allocUnsafe(POOL_BYTES);
  private offset = POOL_BYTES;

  next(now: number): string {
    if (this.offset + 10 > POOL_BYTES) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    let time = now;
    let head = '';
    for (let i = 0; i < 10; i++) {
      head = CROCKFORD[time % 32] + head;
      time = Math.floor(time / 32);
    }
    // 80 random bits as 16 base-32 characters: five bytes at a time make eight characters.
    let tail = '';
    for (let half = 0; half < 2; half++) {
      const o = this.offset + half * 5;
      const high = this.pool[o] * 2 ** 12 + this.pool[o + 1] * 2 ** 4 + (this.pool[o + 2] >> 4);
      const low = (this.pool[o + 2] & 15) * 2 ** 16 + this.pool[o + 3] * 2 ** 8 + this.pool[o + 4];
      tail +=
        CROCKFORD[(high >> 15) & 31] +
        CROCKFORD[(high >> 10) & 31] +
        CROCKFORD[(high >> 5) & 31] +
        CROCKFORD[high & 31] +
        CROCKFORD[(low >> 15) & 31] +
        CROCKFORD[(low >> 10) & 31] +
        CROCKFORD[(low >> 5) & 31] +
        CROCKFORD[low & 31];
    }
    this.offset += 10;
    return `ue_${head}${tail}`;
  }
}
