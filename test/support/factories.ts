import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-app.js';
import { TEST_ADMIN_KEY } from './test-env.js';

export interface TestAccount {
  id: string;
  secret: string;
  keyId: string;
}

/** Signs up an account through the API and returns its id and first secret key. */
export async function signUp(
  t: TestApp,
  overrides: Partial<{ name: string; capabilities: string[]; default_currency: string; country: string }> = {},
): Promise<TestAccount> {
  const response = await t.http
    .post('/v1/accounts')
    .send({
      name: overrides.name ?? `Account ${randomUUID().slice(0, 8)}`,
      email: `${randomUUID().slice(0, 8)}@example.com`,
      country: overrides.country ?? 'US',
      default_currency: overrides.default_currency ?? 'usd',
      capabilities: overrides.capabilities ?? ['receive', 'pay'],
    })
    .expect(201);
  return { id: response.body.account.id, secret: response.body.api_key.secret, keyId: response.body.api_key.id };
}

/** Signs up a receiver and completes (local, auto-verified) onboarding so it can charge and be paid out. */
export async function signUpVerifiedReceiver(t: TestApp): Promise<TestAccount> {
  const account = await signUp(t, { capabilities: ['receive'] });
  await t.http.post('/v1/account/onboarding_links').set(auth(account)).expect(201);
  return account;
}

export function auth(account: TestAccount | string): Record<string, string> {
  return { Authorization: `Bearer ${typeof account === 'string' ? account : account.secret}` };
}

export const adminAuth = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
