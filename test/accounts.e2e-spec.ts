import { isWellFormedSecretKey } from '../src/common/auth/api-key-secret.js';
import { adminAuth, auth, signUp } from './support/factories.js';
import { startTestApp, TestApp } from './support/test-app.js';

describe('accounts and API keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOCAL_AUTO_VERIFY: 'false' });
  });
  afterAll(() => t.close());

  it('signs up an account and returns a working first secret key, shown once', async () => {
    const account = await signUp(t, { capabilities: ['receive'] });
    expect(isWellFormedSecretKey(account.secret)).toBe(true);
    const me = await t.http.get('/v1/account').set(auth(account)).expect(200);
    expect(me.body).toMatchObject({ id: account.id, object: 'account', charges_enabled: false });
    expect(me.body.requirements.currently_due).toEqual(['onboarding']);
    const keys = await t.http.get('/v1/api_keys').set(auth(account)).expect(200);
    expect(keys.body.data).toHaveLength(1);
    expect(keys.body.data[0]).not.toHaveProperty('secret');
    expect(keys.body.data[0].last4).toBe(account.secret.slice(-4));
  });

  it('rejects a look-alike key whose checksum does not match, offline', async () => {
    const account = await signUp(t);
    const lastChar = account.secret.at(-1) === 'a' ? 'b' : 'a';
    expect(isWellFormedSecretKey(account.secret.slice(0, -1) + lastChar)).toBe(false);
    await t.http
      .get('/v1/account')
      .set(auth(account.secret.slice(0, -1) + lastChar))
      .expect(401);
  });

  it('updates the account', async () => {
    const account = await signUp(t);
    const updated = await t.http.patch('/v1/account').set(auth(account)).send({ name: 'Renamed' }).expect(200);
    expect(updated.body.name).toBe('Renamed');
  });

  it('verifies a receiver through the local onboarding link', async () => {
    const account = await signUp(t, { capabilities: ['receive'] });
    const link = await t.http.post('/v1/account/onboarding_links').set(auth(account)).expect(201);
    expect(link.body.account.verification_status).toBe('pending');
    const url = new URL(link.body.url);
    await t.http.get(url.pathname).expect(200);
    const me = await t.http.get('/v1/account').set(auth(account)).expect(200);
    expect(me.body).toMatchObject({ charges_enabled: true, payouts_enabled: true, verification_status: 'verified' });
    await t.http.get('/v1/onboarding/local/forged.123.sig').expect(400);
  });

  it('enforces key scopes per route', async () => {
    const account = await signUp(t);
    const readOnly = await t.http
      .post('/v1/api_keys')
      .set(auth(account))
      .send({ name: 'reader', scopes: ['read_only'] })
      .expect(201);
    await t.http.get('/v1/account').set(auth(readOnly.body.secret)).expect(200);
    const denied = await t.http.patch('/v1/account').set(auth(readOnly.body.secret)).send({ name: 'x' }).expect(403);
    expect(denied.body.error.code).toBe('insufficient_scope');
    const usage = await t.http
      .post('/v1/api_keys')
      .set(auth(account))
      .send({ name: 'usage', scopes: ['usage:write'] })
      .expect(201);
    await t.http.post('/v1/api_keys').set(auth(usage.body.secret)).send({ name: 'escalate' }).expect(403);
  });

  it('rolls a key with an overlap window and revokes keys at once', async () => {
    const account = await signUp(t);
    const rolled = await t.http
      .post(`/v1/api_keys/${account.keyId}/roll`)
      .set(auth(account))
      .send({ expires_in_hours: 1 })
      .expect(201);
    await t.http.get('/v1/account').set(auth(account)).expect(200);
    await t.http.get('/v1/account').set(auth(rolled.body.secret)).expect(200);
    const keys = await t.http.get('/v1/api_keys').set(auth(rolled.body.secret)).expect(200);
    const old = keys.body.data.find((k: { id: string }) => k.id === account.keyId);
    expect(old.expires_at - Math.floor(Date.now() / 1000)).toBeGreaterThan(3500);
    expect(old.expires_at - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(3600);
    await t.http
      .post(`/v1/api_keys/${account.keyId}/roll`)
      .set(auth(rolled.body.secret))
      .send({ expires_in_hours: 200 })
      .expect(400);

    const immediate = await t.http
      .post(`/v1/api_keys/${rolled.body.id}/roll`)
      .set(auth(rolled.body.secret))
      .send({ expires_in_hours: 0 })
      .expect(201);
    const expired = await t.http.get('/v1/account').set(auth(rolled.body.secret)).expect(401);
    expect(expired.body.error.code).toBe('api_key_expired');

    await t.http.delete(`/v1/api_keys/${account.keyId}`).set(auth(immediate.body.secret)).expect(200);
    const revoked = await t.http.get('/v1/account').set(auth(account)).expect(401);
    expect(revoked.body.error.code).toBe('api_key_revoked');
  });

  it('suspends and reinstates an account; a suspended account gets 403 account_suspended', async () => {
    const account = await signUp(t);
    await t.http.post(`/v1/admin/accounts/${account.id}/suspend`).set(adminAuth).expect(200);
    const denied = await t.http.get('/v1/account').set(auth(account)).expect(403);
    expect(denied.body.error.code).toBe('account_suspended');
    await t.http.post(`/v1/admin/accounts/${account.id}/reinstate`).set(adminAuth).expect(200);
    await t.http.get('/v1/account').set(auth(account)).expect(200);
  });

  it('keeps admin routes for the operator key only', async () => {
    const account = await signUp(t);
    const denied = await t.http.get('/v1/admin/accounts').set(auth(account)).expect(403);
    expect(denied.body.error.code).toBe('admin_key_required');
    await t.http.get('/v1/admin/accounts').expect(401);
    const list = await t.http.get('/v1/admin/accounts?limit=2').set(adminAuth).expect(200);
    expect(list.body.data).toHaveLength(2);
    expect(list.body.has_more).toBe(true);
    const next = await t.http.get(`/v1/admin/accounts?limit=2&starting_after=${list.body.data[1].id}`).set(adminAuth);
    expect(next.body.data[0].id < list.body.data[1].id).toBe(true);
    await t.http.get(`/v1/admin/accounts/${account.id}`).set(adminAuth).expect(200);
    await t.http.get('/v1/admin/accounts/acct_missing').set(adminAuth).expect(404);
  });

  it('closes sign-up to the public when ALLOW_SIGNUP=false, but not to the operator', async () => {
    const closed = await startTestApp({ ALLOW_SIGNUP: 'false' });
    try {
      const body = { name: 'X', email: 'x@example.com', country: 'US', default_currency: 'usd', capabilities: ['pay'] };
      const denied = await closed.http.post('/v1/accounts').send(body).expect(403);
      expect(denied.body.error.code).toBe('signup_disabled');
      await closed.http.post('/v1/accounts').set(adminAuth).send(body).expect(201);
    } finally {
      await closed.close();
    }
  });
});
