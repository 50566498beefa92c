import { auth, signUpVerifiedReceiver, type TestAccount } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('catalog: products and versioned prices', () => {
  let t: TestApp;
  let vendor: TestAccount;
  const DAY = 86_400;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    t = await startTestApp();
    vendor = await signUpVerifiedReceiver(t);
  });
  afterAll(() => t.close());

  async function createProduct(account: TestAccount = vendor, name = 'acme-large') {
    const response = await t.http.post('/v1/products').set(auth(account)).send({ name, kind: 'model' }).expect(201);
    return response.body as { id: string };
  }

  it('creates, lists, retrieves and archives products', async () => {
    const created = await t.http
      .post('/v1/products')
      .set(auth(vendor))
      .send({ name: 'acme-small', kind: 'model', metadata: { family: 'acme' } })
      .expect(201);
    expect(created.body).toMatchObject({
      object: 'product',
      name: 'acme-small',
      kind: 'model',
      active: true,
      archived_at: null,
      metadata: { family: 'acme' },
    });
    expect(created.body.id).toMatch(/^prod_/);

    const listed = await t.http.get('/v1/products').set(auth(vendor)).expect(200);
    expect(listed.body.data.map((p: { id: string }) => p.id)).toContain(created.body.id);

    const archived = await t.http.post(`/v1/products/${created.body.id}/archive`).set(auth(vendor)).expect(200);
    expect(archived.body).toMatchObject({ active: false });
    expect(typeof archived.body.archived_at).toBe('number');
    const again = await t.http.post(`/v1/products/${created.body.id}/archive`).set(auth(vendor)).expect(200);
    expect(again.body.archived_at).toBe(archived.body.archived_at);

    const active = await t.http.get('/v1/products?active=true').set(auth(vendor)).expect(200);
    expect(active.body.data.map((p: { id: string }) => p.id)).not.toContain(created.body.id);
    const refused = await t.http
      .post('/v1/prices')
      .set(auth(vendor))
      .send({ product: created.body.id, currency: 'usd', per_call: '0.01' })
      .expect(400);
    expect(refused.body.error.code).toBe('product_archived');
  });

  it('refuses an unknown kind and hides other accounts’ products', async () => {
    const bad = await t.http.post('/v1/products').set(auth(vendor)).send({ name: 'x', kind: 'gadget' }).expect(400);
    expect(bad.body.error.param).toBe('kind');
    const other = await signUpVerifiedReceiver(t);
    const theirs = await createProduct(other);
    await t.http.get(`/v1/products/${theirs.id}`).set(auth(vendor)).expect(404);
    await t.http.post(`/v1/products/${theirs.id}/archive`).set(auth(vendor)).expect(404);
    const price = await t.http
      .post('/v1/prices')
      .set(auth(vendor))
      .send({ product: theirs.id, currency: 'usd', per_call: '0.01' })
      .expect(404);
    expect(price.body.error.param).toBe('product');
  });

  it('creates a price with the unit in every field name and returns it exactly', async () => {
    const product = await createProduct();
    const created = await t.http
      .post('/v1/prices')
      .set(auth(vendor))
      .send({
        product: product.id,
        currency: 'usd',
        per_million_tokens: { input: '3.00', output: '15', cached_input: '0.30', cache_write: '3.75' },
        per_call: '0.000000001',
        minimum_per_event: '0.0000005',
        effective_from: now() - DAY,
      })
      .expect(201);
    expect(created.body).toMatchObject({
      object: 'price',
      product: product.id,
      currency: 'usd',
      per_million_tokens: {
        input: '3.00',
        output: '15.00',
        cached_input: '0.30',
        cache_write: '3.75',
        reasoning: null,
      },
      per_call: '0.000000001',
      minimum_per_event: '0.0000005',
      effective_until: null,
    });
    const fetched = await t.http.get(`/v1/prices/${created.body.id}`).set(auth(vendor)).expect(200);
    expect(fetched.body).toEqual(created.body);
  });

  it('supersedes a version from the next one’s effective_from and keeps both', async () => {
    const product = await createProduct();
    const first = await t.http
      .post('/v1/prices')
      .set(auth(vendor))
      .send({ product: product.id, currency: 'usd', per_million_tokens: { input: '1' }, effective_from: now() - DAY })
      .expect(201);
    const start = now() + 3600;
    const second = await t.http
      .post('/v1/prices')
      .set(auth(vendor))
      .send({
        product: product.id,
        currency: 'usd',
        per_million_tokens: { input: '2' },
        effective_from: new Date(start * 1000).toISOString(),
      })
      .expect(201);
    expect(second.body.effective_from).toBe(start);
    const firstAgain = await t.http.get(`/v1/prices/${first.body.id}`).set(auth(vendor)).expect(200);
    expect(firstAgain.body.effective_until).toBe(start);
    expect(firstAgain.body.per_million_tokens.input).toBe('1.00');

    const listed = await t.http.get(`/v1/prices?product=${product.id}`).set(auth(vendor)).expect(200);
    expect(listed.body.data.map((p: { id: string }) => p.id)).toEqual([second.body.id, first.body.id]);
    const current = await t.http.get(`/v1/prices?product=${product.id}&current=true`).set(auth(vendor)).expect(200);
    expect(current.body.data).toHaveLength(2);
  });

  it('refuses versions that would re-rate the past or overlap the latest one', async () => {
    const product = await createProduct();
    await t.http
      .post('/v1/prices')
      .set(auth(vendor))
      .send({ product: product.id, currency: 'usd', per_call: '0.01', effective_from: now() + 600 })
      .expect(201);
    const overlapping = await t.http
      .post('/v1/prices')
      .set(auth(vendor))
      .send({ product: product.id, currency: 'usd', per_call: '0.02', effective_from: now() + 300 })
      .expect(400);
    expect(overlapping.body.error.code).toBe('effective_from_too_early');

    const other = await createProduct();
    await t.http
      .post('/v1/prices')
      .set(auth(vendor))
      .send({ product: other.id, currency: 'usd', per_call: '0.01', effective_from: now() - 2 * DAY })
      .expect(201);
    const backdated = await t.http
      .post('/v1/prices')
      .set(auth(vendor))
      .send({ product: other.id, currency: 'usd', per_call: '0.02', effective_from: now() - DAY })
      .expect(400);
    expect(backdated.body.error.code).toBe('effective_from_in_past');
    // Another currency is its own version line.
    await t.http
      .post('/v1/prices')
      .set(auth(vendor))
      .send({ product: other.id, currency: 'eur', per_call: '0.02', effective_from: now() - DAY })
      .expect(201);
  });

  it('rejects malformed amounts and empty prices with the offending parameter', async () => {
    const product = await createProduct();
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ per_million_tokens: { input: '0.0000000001' } }, 'too_many_decimals', 'per_million_tokens.input'],
      [{ per_million_tokens: { output: '-1' } }, 'negative_amount', 'per_million_tokens.output'],
      [{ per_call: '1e-6' }, 'invalid_amount', 'per_call'],
      [{ per_call: '0.01', minimum_per_event: 'abc' }, 'invalid_amount', 'minimum_per_event'],
      [{ per_call: '0.01', effective_from: '2025-13-01T00:00:00Z' }, 'invalid_timestamp', 'effective_from'],
      [{ per_million_tokens: { input: 0.5 } }, 'parameter_invalid', 'per_million_tokens.input'],
      [{ per_million_tokens: { per_token: '1' } }, 'unknown_parameter', 'per_million_tokens.per_token'],
    ];
    for (const [fields, code, param] of cases) {
      const response = await t.http
        .post('/v1/prices')
        .set(auth(vendor))
        .send({ product: product.id, currency: 'usd', ...fields })
        .expect(400);
      expect(response.body.error).toMatchObject({ code, param });
    }
    const empty = await t.http
      .post('/v1/prices')
      .set(auth(vendor))
      .send({ product: product.id, currency: 'usd', per_million_tokens: {} })
      .expect(400);
    expect(empty.body.error.code).toBe('price_empty');
    const currency = await t.http
      .post('/v1/prices')
      .set(auth(vendor))
      .send({ product: product.id, currency: 'USD', per_call: '1' })
      .expect(400);
    expect(currency.body.error.param).toBe('currency');
  });
});
