import { buildOpenApiDocument } from '../src/openapi.js';
import { adminAuth, auth, signUp, TestAccount } from './support/factories.js';
import { fundedPayer, grantMandate, topUp } from './support/payment-factories.js';
import { bankDestination, fundAvailable } from './support/payout-factories.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { createPrice, createProduct } from './support/usage-factories.js';

/** One of each object, owned by `owner` (a verified receiver that also pays). */
async function ownedObjects(t: TestApp, owner: TestAccount) {
  const http = t.http;
  const post = async (path: string, body: object, who: TestAccount | null = owner) =>
    (
      await http
        .post(path)
        .set(who ? auth(who) : adminAuth)
        .send(body)
        .expect((r) =>
          expect({ path, status: r.status, body: r.status < 300 ? null : r.body }).toEqual({
            path,
            status: r.status,
            body: null,
          }),
        )
    ).body as { id: string };

  const agent = await post('/v1/agents', { name: 'shopping agent', framework: 'custom' });
  const topUpObject = (await topUp(t, owner, '20.00')) as { id: string };
  const payer = await fundedPayer(t, '50.00');
  const mandate = (await grantMandate(t, payer, { payee: owner.id })) as { id: string };
  const payment = await post('/v1/payments', { mandate: mandate.id, amount: '3.00', currency: 'usd' });
  const refund = await post('/v1/refunds', { payment: payment.id, amount: '1.00' });
  const product = await createProduct(t, owner);
  const price = await createPrice(t, owner, product.id, { per_call: '0.01' });
  const authorization = await post('/v1/authorizations', {
    mandate: mandate.id,
    amount: '1.00',
    currency: 'usd',
    expires_in: 600,
  });
  const endpoint = await post('/v1/webhook_endpoints', { url: 'http://127.0.0.1:9/hooks', enabled_events: ['*'] });
  await http
    .put('/v1/payout_settings')
    .set(auth(owner))
    .send({ destination: bankDestination(), schedule: { interval: 'manual' } })
    .expect(200);
  await http
    .put(`/v1/admin/accounts/${owner.id}/payout_settings`)
    .set(adminAuth)
    .send({ settlement_delay_days: 0 })
    .expect(200);
  await fundAvailable(t, owner, '10.00');
  const payout = await post('/v1/payouts', { amount: '5.00', currency: 'usd' });
  const program = await post(
    '/v1/admin/incentive_programs',
    {
      name: 'Isolation',
      currency: 'usd',
      status: 'active',
      auto_enroll: true,
      type: 'fee_discount',
      fee_discount: { fee_rate_bps: 100, duration_days: 30 },
    },
    null,
  );
  const enrollment = await post(`/v1/incentive_programs/${program.id}/enrollments`, {});
  const events = await http.get('/v1/events?limit=1').set(auth(owner)).expect(200);
  return {
    agent,
    topUpObject,
    mandate,
    payment,
    refund,
    product,
    price,
    authorization,
    endpoint,
    payout,
    enrollment,
    event: events.body.data[0] as { id: string },
  };
}

type Owned = Awaited<ReturnType<typeof ownedObjects>>;

/**
 * For every `GET /v1/...{id}` route: the id of an object the owner can read. A route added without a fixture here
 * fails the test, so no id route escapes the cross-tenant check.
 */
const FIXTURES: Record<string, (owned: Owned) => Record<string, string>> = {
  '/v1/agents/{id}': (o) => ({ id: o.agent.id }),
  '/v1/authorizations/{id}': (o) => ({ id: o.authorization.id }),
  '/v1/events/{id}': (o) => ({ id: o.event.id }),
  '/v1/incentive_enrollments/{id}': (o) => ({ id: o.enrollment.id }),
  '/v1/mandates/{id}': (o) => ({ id: o.mandate.id }),
  '/v1/payments/{id}': (o) => ({ id: o.payment.id }),
  '/v1/payouts/{id}': (o) => ({ id: o.payout.id }),
  '/v1/payouts/{id}/reconciliation': (o) => ({ id: o.payout.id }),
  '/v1/prices/{id}': (o) => ({ id: o.price.id }),
  '/v1/products/{id}': (o) => ({ id: o.product.id }),
  '/v1/refunds/{id}': (o) => ({ id: o.refund.id }),
  '/v1/wallet/top_ups/{id}': (o) => ({ id: o.topUpObject.id }),
  '/v1/webhook_endpoints/{id}': (o) => ({ id: o.endpoint.id }),
  '/v1/webhook_endpoints/{id}/deliveries': (o) => ({ id: o.endpoint.id }),
};

/** Platform objects every account may read (programs are published to the developers who qualify). */
const SHARED_ROUTES = new Set(['/v1/incentive_programs/{id}']);

describe('tenant isolation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  function idRoutes(): string[] {
    const document = buildOpenApiDocument(t.app);
    return Object.entries(document.paths)
      .filter(
        ([path, item]) =>
          item.get &&
          path.startsWith('/v1/') &&
          !path.startsWith('/v1/admin/') &&
          path.includes('{') &&
          !SHARED_ROUTES.has(path),
      )
      .map(([path]) => path)
      .sort();
  }

  it('has a fixture for every GET route with an id', () => {
    const missing = idRoutes().filter((path) => !FIXTURES[path]);
    expect(missing).toEqual([]);
  });

  it("answers 404 for another account's object on every GET route with an id, and 200 for its owner", async () => {
    const owner = await signUp(t, { capabilities: ['receive', 'pay'] });
    await t.http.post('/v1/account/onboarding_links').set(auth(owner)).expect(201);
    const stranger = await signUp(t, { capabilities: ['receive', 'pay'] });
    const owned = await ownedObjects(t, owner);
    const checked: string[] = [];
    for (const path of idRoutes()) {
      const params = FIXTURES[path](owned);
      const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name]));
      const own = await t.http.get(url).set(auth(owner));
      expect({ path, status: own.status }).toEqual({ path, status: 200 });
      const foreign = await t.http.get(url).set(auth(stranger));
      expect({ path, status: foreign.status, code: foreign.body.error?.code }).toEqual({
        path,
        status: 404,
        code: 'resource_missing',
      });
      expect(JSON.stringify(foreign.body)).not.toContain(owner.id);
      checked.push(path);
    }
    expect(checked.length).toBe(idRoutes().length);
  });
});
