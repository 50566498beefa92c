import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Secret keys read `air_sk_live_<43 base62 chars: 256 random bits><6 base62 chars: CRC32>`. */
export const SECRET_KEY_PATTERN = /^air_sk_(live|test)_([0-9A-Za-z]{43})([0-9A-Za-z]{6})$/;

function base62(value: bigint, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = BASE62[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out;
}

function checksum(prefixAndBody: string): string {
  return base62(BigInt(crc32(prefixAndBody)), 6);
}

export interface GeneratedSecret {
  secret: string;
  prefix: string;
  last4: string;
  hash: Buffer;
}

export function generateSecretKey(livemode: boolean): GeneratedSecret {
  const prefix = `air_sk_${livemode ? 'live' : 'test'}_`;
  const body = base62(BigInt(`0x${randomBytes(32).toString('hex')}`), 43);
  const secret = `${prefix}${body}${checksum(prefix + body)}`;
  return { secret, prefix, last4: secret.slice(-4), hash: hashSecret(secret) };
}

/** Offline check a secret scanner can run: right shape and a CRC32 that matches. */
export function isWellFormedSecretKey(candidate: string): boolean {
  const match = SECRET_KEY_PATTERN.exec(candidate);
  if (!match) return false;
  const prefix = `air_sk_${match[1]}_`;
  return checksum(prefix + match[2]) === match[3];
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}
