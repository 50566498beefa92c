import { AiReceiveError } from '../libs/sdk/src/index.js';
import { auth, signUp } from './support/factories.js';
import { sdkFor } from './support/sdk.js';
import { startTestApp, TestApp } from './support/test-app.js';

describe('Idempotency-Key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('replays the first response for the same key and body, with Idempotent-Replayed', async () => {
    const account = await signUp(t);
    const sdk = sdkFor(t, account.secret);
    const first = await sdk.apiKeysCreate({ name: 'ci' }, { idempotencyKey: 'create-ci-key' });
    const again = await t.http
      .post('/v1/api_keys')
      .set(auth(account))
      .set('Idempotency-Key', 'create-ci-key')
      .send({ name: 'ci' })
      .expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first);
    const keys = await sdk.apiKeysList();
    expect(keys.data.filter((k) => k.name === 'ci')).toHaveLength(1);
  });

  it('answers 422 idempotency_key_reused when the same key comes with another body', async () => {
    const account = await signUp(t);
    const sdk = sdkFor(t, account.secret);
    await sdk.apiKeysCreate({ name: 'a' }, { idempotencyKey: 'k1' });
    const error = await sdk.apiKeysCreate({ name: 'b' }, { idempotencyKey: 'k1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AiReceiveError);
    expect(error).toMatchObject({ status: 422, code: 'idempotency_key_reused' });
  });

  it('executes exactly once when 20 identical requests arrive at once', async () => {
    const account = await signUp(t);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.http.post('/v1/api_keys').set(auth(account)).set('Idempotency-Key', 'burst').send({ name: 'burst' }),
      ),
    );
    const executed = responses.filter((r) => r.status === 201 && r.headers['idempotent-replayed'] === undefined);
    expect(executed).toHaveLength(1);
    for (const response of responses) {
      if (response.status === 409) expect(response.body.error.code).toBe('idempotency_request_in_progress');
      else expect(response.body.id).toBe(executed[0].body.id);
    }
    const keys = await t.http.get('/v1/api_keys').set(auth(account)).expect(200);
    expect(keys.body.data.filter((k: { name: string }) => k.name === 'burst')).toHaveLength(1);
  });

  it('stores nothing for a request that failed validation, so the key can be used again', async () => {
    const account = await signUp(t);
    await t.http
      .post('/v1/api_keys')
      .set(auth(account))
      .set('Idempotency-Key', 'retry-me')
      .send({ name: 'x', scopes: ['root'] })
      .expect(400);
    await t.http
      .post('/v1/api_keys')
      .set(auth(account))
      .set('Idempotency-Key', 'retry-me')
      .send({ name: 'x' })
      .expect(201);
  });

  it('keeps keys per account: two accounts may use the same key', async () => {
    const [a, b] = [await signUp(t), await signUp(t)];
    await t.http.post('/v1/api_keys').set(auth(a)).set('Idempotency-Key', 'shared').send({ name: 'a' }).expect(201);
    const other = await t.http.post('/v1/api_keys').set(auth(b)).set('Idempotency-Key', 'shared').send({ name: 'b' });
    expect(other.status).toBe(201);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
  });

  it('refuses a key longer than 255 characters', async () => {
    const account = await signUp(t);
    const response = await t.http
      .post('/v1/api_keys')
      .set(auth(account))
      .set('Idempotency-Key', 'x'.repeat(256))
      .send({ name: 'x' })
      .expect(400);
    expect(response.body.error).toMatchObject({ code: 'idempotency_key_invalid', param: 'Idempotency-Key' });
  });
});
