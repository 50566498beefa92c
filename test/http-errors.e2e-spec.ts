import { QUEUE_NAMES } from '../src/common/queues.js';
import { adminAuth, auth, signUp } from './support/factories.js';
import { startTestApp, TestApp } from './support/test-app.js';

describe('errors and request handling', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ BODY_LIMIT: '1kb', RATE_LIMIT_PER_SECOND: '1000' });
  });
  afterAll(() => t.close());

  const signupBody = {
    name: 'A',
    email: 'a@example.com',
    country: 'US',
    default_currency: 'usd',
    capabilities: ['pay'],
  };

  function expectErrorShape(body: { error: Record<string, unknown> }, code: string): void {
    expect(body.error.code).toBe(code);
    expect(typeof body.error.type).toBe('string');
    expect(typeof body.error.message).toBe('string');
    expect(body.error.request_id).toMatch(/^req_/);
  }

  it('gives every response an X-Request-Id, and errors carry it', async () => {
    const ok = await t.http.get('/health').expect(200);
    expect(ok.headers['x-request-id']).toMatch(/^req_/);
    const missing = await t.http.get('/v1/account').expect(401);
    expect(missing.body.error.request_id).toBe(missing.headers['x-request-id']);
  });

  it('rejects unknown body fields with 400 unknown_parameter naming the field', async () => {
    const response = await t.http
      .post('/v1/accounts')
      .send({ ...signupBody, is_admin: true })
      .expect(400);
    expectErrorShape(response.body, 'unknown_parameter');
    expect(response.body.error.param).toBe('is_admin');
  });

  it('rejects invalid values with 400 parameter_invalid naming the parameter', async () => {
    const response = await t.http
      .post('/v1/accounts')
      .send({ ...signupBody, default_currency: 'USD' })
      .expect(400);
    expectErrorShape(response.body, 'parameter_invalid');
    expect(response.body.error.param).toBe('default_currency');
  });

  it('rejects malformed JSON with 400 invalid_json', async () => {
    const response = await t.http
      .post('/v1/accounts')
      .set('Content-Type', 'application/json')
      .send('{"name":')
      .expect(400);
    expectErrorShape(response.body, 'invalid_json');
  });

  it('rejects a body over the limit with 413', async () => {
    const response = await t.http
      .post('/v1/accounts')
      .send({ ...signupBody, name: 'x'.repeat(2048) })
      .expect(413);
    expectErrorShape(response.body, 'request_too_large');
  });

  it('rejects a body that is not JSON with 415', async () => {
    const response = await t.http.post('/v1/accounts').set('Content-Type', 'text/plain').send('name=x').expect(415);
    expectErrorShape(response.body, 'unsupported_media_type');
  });

  it('answers an unknown route with 404 route_not_found', async () => {
    const response = await t.http.get('/v1/nothing_here').expect(404);
    expectErrorShape(response.body, 'route_not_found');
  });

  it('answers an unknown object with 404 resource_missing', async () => {
    const account = await signUp(t);
    const response = await t.http.delete('/v1/api_keys/key_does_not_exist').set(auth(account)).expect(404);
    expectErrorShape(response.body, 'resource_missing');
  });

  it('never sends a stack trace, even for an internal error', async () => {
    // A NUL byte in an id is refused by PostgreSQL itself: an unexpected error the API must contain.
    const response = await t.http.get('/v1/admin/accounts/acct_%00').set(adminAuth).expect(500);
    expectErrorShape(response.body, 'internal_error');
    expect(JSON.stringify(response.body)).not.toMatch(/\.[jt]s:\d+|QueryFailedError|invalid byte/);
  });

  it('answers 401 for a missing or malformed Authorization header', async () => {
    expectErrorShape((await t.http.get('/v1/account').expect(401)).body, 'missing_api_key');
    const malformed = await t.http.get('/v1/account').set('Authorization', 'Basic abc').expect(401);
    expectErrorShape(malformed.body, 'invalid_authorization_header');
  });
});

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_SECOND: '5' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After once a key exceeds its per-second budget, counted in Redis', async () => {
    const account = await signUp(t);
    const responses = await Promise.all(Array.from({ length: 12 }, () => t.http.get('/v1/account').set(auth(account))));
    const limited = responses.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0].headers['retry-after']).toBe('1');
    expect(limited[0].body.error.code).toBe('rate_limited');
    expect(responses.filter((r) => r.status === 200).length).toBeLessThanOrEqual(10);
  });
});

describe('operations endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('reports PostgreSQL and Redis up on /health', async () => {
    const response = await t.http.get('/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', postgres: 'up', redis: 'up' });
  });

  it('serves Prometheus metrics with the request latency histogram and queue depths', async () => {
    await t.http.get('/health').expect(200);
    const response = await t.http.get('/metrics').expect(200);
    expect(response.text).toContain('http_request_duration_seconds_bucket');
    expect(response.text).toMatch(/queue_jobs\{queue="webhook-deliveries",state="waiting"\} \d+/);
    for (const queue of QUEUE_NAMES) expect(response.text).toContain(`queue_jobs{queue="${queue}",state="waiting"}`);
  });

  it('serves Bull Board at /admin/queues to the operator key only', async () => {
    await t.http.get('/admin/queues').expect(401);
    const account = await signUp(t);
    await t.http.get('/admin/queues').set(auth(account)).expect(401);
    const board = await t.http.get('/admin/queues').set(adminAuth).expect(200);
    expect(board.text).toContain('<html');
    const basic = Buffer.from(`operator:${adminAuth.Authorization.slice('Bearer '.length)}`).toString('base64');
    await t.http.get('/admin/queues/api/queues').set('Authorization', `Basic ${basic}`).expect(200);
  });
});
