import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../common/auth/api-key-secret.js';

/** Local-rail onboarding links carry `<accountId>.<expiry>.<HMAC>` so the completion page needs no stored state. */
export function signOnboardingToken(secret: string, accountId: string, expiresAt: Date): string {
  const payload = `${accountId}.${Math.floor(expiresAt.getTime() / 1000)}`;
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

export function verifyOnboardingToken(secret: string, token: string, now = new Date()): string | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [accountId, expiry, signature] = parts;
  const expected = createHmac('sha256', secret).update(`${accountId}.${expiry}`).digest('base64url');
  if (!constantTimeEqual(signature, expected)) return null;
  if (Number(expiry) * 1000 < now.getTime()) return null;
  return accountId;
}
