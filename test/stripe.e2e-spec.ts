import { DataSource } from 'typeorm';
import { PAYMENT_PROVIDER, type PaymentProvider } from '../src/providers/payment-provider.js';
import { auth, signUp } from './support/factories.js';
import { FakeStripe } from './support/fake-stripe.js';
import { startTestApp, TestApp } from './support/test-app.js';

const WEBHOOK_SECRET = 'whsec_test_stripe_endpoint_secret';

/** Polls until `probe` returns a value (provider events are applied from a queue). */
async function eventually<T>(probe: () => Promise<T | undefined | null | false>, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Stripe Connect through the real SDK and a fake Stripe', () => {
  let stripe: FakeStripe;
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    stripe = await FakeStripe.start();
    t = await startTestApp({
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_fake_platform_key',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: stripe.url,
      PUBLIC_BASE_URL: 'https://pay.example.com',
    });
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
    await stripe.close();
  });

  function postEvent(event: object, secret = WEBHOOK_SECRET) {
    return stripe.deliver(t.http, event, secret);
  }

  async function storedEvents(id: string): Promise<Array<{ processed_at: Date | null }>> {
    return db.query(`SELECT processed_at FROM provider_events WHERE provider = 'stripe' AND id = $1`, [id]);
  }

  it('creates an Express connected account once and an account link for each onboarding request', async () => {
    const receiver = await signUp(t, { capabilities: ['receive'], country: 'FR' });
    const first = await t.http.post('/v1/account/onboarding_links').set(auth(receiver)).expect(201);
    expect(first.body.url).toMatch(/^https:\/\/connect\.stripe\.test\/setup\/e\/acct_/);
    expect(first.body.account).toMatchObject({
      provider: 'stripe',
      verification_status: 'pending',
      charges_enabled: false,
    });

    const creations = stripe
      .requestsTo('POST', '/v1/accounts')
      .filter((r) => (r.body.metadata as { account_id?: string }).account_id === receiver.id);
    expect(creations).toHaveLength(1);
    expect(creations[0].body).toMatchObject({
      type: 'express',
      country: 'FR',
      capabilities: { transfers: { requested: 'true' } },
    });
    expect(creations[0].headers.authorization).toBe('Bearer sk_test_fake_platform_key');
    expect(creations[0].idempotencyKey).toBe(`connect-account-${receiver.id}`);
    const connectedId = first.body.url.split('/')[5];

    const links = stripe.requestsTo('POST', '/v1/account_links').filter((r) => r.body.account === connectedId);
    expect(links).toHaveLength(1);
    expect(links[0].body).toMatchObject({
      type: 'account_onboarding',
      return_url: 'https://pay.example.com/v1/onboarding/stripe/return',
    });
    expect(String(links[0].body.refresh_url)).toMatch(
      /^https:\/\/pay\.example\.com\/v1\/onboarding\/stripe\/refresh\//,
    );

    const second = await t.http.post('/v1/account/onboarding_links').set(auth(receiver)).expect(201);
    expect(second.body.url).not.toBe(first.body.url);
    expect(
      stripe
        .requestsTo('POST', '/v1/accounts')
        .filter((r) => (r.body.metadata as { account_id?: string }).account_id === receiver.id),
    ).toHaveLength(1);
    expect(stripe.requestsTo('POST', '/v1/account_links').filter((r) => r.body.account === connectedId)).toHaveLength(
      2,
    );

    // An expired link sends the receiver to the refresh URL, which hands out a fresh one.
    const refreshPath = new URL(String(links[0].body.refresh_url)).pathname;
    const refreshed = await t.http.get(refreshPath).expect(303);
    expect(refreshed.headers.location).toMatch(new RegExp(`^https://connect\\.stripe\\.test/setup/e/${connectedId}/`));
    // The refresh token is no local verification token.
    await t.http.get(`/v1/onboarding/local/${refreshPath.split('/').pop()}`).expect(400);
    await t.http.get('/v1/onboarding/stripe/refresh/forged.1.sig').expect(400);
  });

  it('applies a verified account.updated event once, even when Stripe sends it twice', async () => {
    const receiver = await signUp(t, { capabilities: ['receive'] });
    const link = await t.http.post('/v1/account/onboarding_links').set(auth(receiver)).expect(201);
    const connectedId = link.body.url.split('/')[5];
    const account = stripe.update(connectedId, {
      details_submitted: true,
      charges_enabled: true,
      payouts_enabled: true,
    });
    const event = stripe.event('account.updated', account, { account: connectedId });

    const first = await postEvent(event).expect(200);
    expect(first.body).toEqual({ id: event.id, object: 'provider_event_receipt', duplicate: false });
    const second = await postEvent(event).expect(200);
    expect(second.body.duplicate).toBe(true);

    const [stored] = await eventually(async () => {
      const rows = await storedEvents(event.id);
      return rows[0]?.processed_at && rows;
    }, 'the event to be processed');
    expect(stored.processed_at).not.toBeNull();
    expect(await storedEvents(event.id)).toHaveLength(1);

    const me = await t.http.get('/v1/account').set(auth(receiver)).expect(200);
    expect(me.body).toMatchObject({ charges_enabled: true, payouts_enabled: true, verification_status: 'verified' });
    // One account.updated from the onboarding link, one from the event: the duplicate changed nothing.
    const updates = await t.http.get('/v1/events?type=account.updated').set(auth(receiver)).expect(200);
    expect(updates.body.data).toHaveLength(2);
    expect(updates.body.data[0].data.object.charges_enabled).toBe(true);
    // The adapter read the account back from Stripe rather than trusting the event's snapshot.
    expect(stripe.requestsTo('GET', `/v1/accounts/${connectedId}`)).toHaveLength(1);
  });

  it('retries an event that was never applied when Stripe sends it again later', async () => {
    const event = stripe.event('balance.available', { object: 'balance', available: [] });
    await postEvent(event).expect(200);
    await eventually(async () => (await storedEvents(event.id))[0]?.processed_at, 'the unhandled event to be marked');
    // As if its job had given up an hour ago.
    await db.query(
      `UPDATE provider_events SET processed_at = NULL, received_at = now() - interval '1 hour'
        WHERE provider = 'stripe' AND id = $1`,
      [event.id],
    );
    const resent = await postEvent(event).expect(200);
    expect(resent.body.duplicate).toBe(true);
    await eventually(async () => (await storedEvents(event.id))[0]?.processed_at, 'the event to be applied again');
    expect(await storedEvents(event.id)).toHaveLength(1);
  });

  it('refuses a webhook whose signature does not match, storing nothing', async () => {
    const receiver = await signUp(t, { capabilities: ['receive'] });
    const link = await t.http.post('/v1/account/onboarding_links').set(auth(receiver)).expect(201);
    const connectedId = link.body.url.split('/')[5];
    const event = stripe.event('account.updated', stripe.get(connectedId)!, { account: connectedId });

    const forged = await postEvent(event, 'whsec_someone_else').expect(400);
    expect(forged.body.error.code).toBe('webhook_signature_invalid');
    const { payload } = stripe.signedDelivery(event, WEBHOOK_SECRET);
    await t.http.post('/v1/webhooks/stripe').set('Content-Type', 'application/json').send(payload).expect(400);
    const { signature } = stripe.signedDelivery(event, WEBHOOK_SECRET);
    await t.http
      .post('/v1/webhooks/stripe')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', signature)
      .send(payload.replace('"account.updated"', '"account.deleted"'))
      .expect(400);
    expect(await storedEvents(event.id)).toHaveLength(0);
  });

  it('creates a top-up PaymentIntent with the idempotency key, once per key', async () => {
    const provider = t.app.get<PaymentProvider>(PAYMENT_PROVIDER);
    const request = {
      topUpId: 'top_test_1',
      accountId: 'acct_payer_1',
      amountMinor: 1250n,
      currency: 'usd',
      idempotencyKey: `top-up-${Date.now()}`,
    };
    const first = await provider.createTopUp(request);
    const again = await provider.createTopUp(request);
    expect(first).toMatchObject({ status: 'pending', providerReference: expect.stringMatching(/^pi_/) });
    expect(first.clientSecret).toMatch(/_secret_/);
    expect(again).toEqual(first);
    const [created] = stripe
      .requestsTo('POST', '/v1/payment_intents')
      .filter((r) => r.idempotencyKey === request.idempotencyKey);
    expect(created.body).toMatchObject({
      amount: '1250',
      currency: 'usd',
      metadata: { top_up_id: 'top_test_1', account_id: 'acct_payer_1' },
    });
  });
});
