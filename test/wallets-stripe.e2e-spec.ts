import { auth, signUp, type TestAccount } from './support/factories.js';
import { FakeStripe } from './support/fake-stripe.js';
import { ledgerBalance, walletOf } from './support/payment-factories.js';
import { sdkFor } from './support/sdk.js';
import { startTestApp, TestApp } from './support/test-app.js';

const WEBHOOK_SECRET = 'whsec_test_wallets_endpoint_secret';

async function eventually<T>(probe: () => Promise<T | undefined | null | false>, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Stripe top-ups through the SDK, a fake Stripe and signed webhooks', () => {
  let stripe: FakeStripe;
  let t: TestApp;

  beforeAll(async () => {
    stripe = await FakeStripe.start();
    t = await startTestApp({
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_fake_platform_key',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: stripe.url,
    });
  });
  afterAll(async () => {
    await t.close();
    await stripe.close();
  });

  async function deliver(type: string, intentId: string, extra: Record<string, unknown> = {}) {
    const intent = stripe.objects.get(intentId)!;
    const event = stripe.event(type, { ...intent, ...extra });
    // Stripe delivers at least once: send every event twice.
    for (let i = 0; i < 2; i++) await stripe.deliver(t.http, event, WEBHOOK_SECRET).expect(200);
  }

  async function topUpStatus(payer: TestAccount, id: string): Promise<string> {
    return (await t.http.get(`/v1/wallet/top_ups/${id}`).set(auth(payer)).expect(200)).body.status;
  }

  it('creates a PaymentIntent, returns its client secret, and credits the wallet once on payment_intent.succeeded', async () => {
    const payer = await signUp(t, { capabilities: ['pay'] });
    const created = await t.http
      .post('/v1/wallet/top_ups')
      .set(auth(payer))
      .send({ amount: '42.50', currency: 'usd' })
      .expect(201);
    expect(created.body).toMatchObject({ status: 'pending', provider: 'stripe', amount: '42.50' });
    expect(created.body.client_secret).toMatch(/^pi_.+_secret_/);
    const intentId = created.body.provider_payment_id;
    const intent = stripe.objects.get(intentId)!;
    expect(intent).toMatchObject({ amount: 4250, currency: 'usd', metadata: { top_up_id: created.body.id } });
    expect(await walletOf(t, payer)).toMatchObject({ available: '0.00' });

    await deliver('payment_intent.succeeded', intentId, { status: 'succeeded' });
    await eventually(async () => (await topUpStatus(payer, created.body.id)) === 'succeeded', 'the top-up to succeed');
    // A later duplicate delivery of the same kind of event changes nothing either.
    await deliver('payment_intent.succeeded', intentId, { status: 'succeeded' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(42_500_000_000n);
    expect(await walletOf(t, payer)).toMatchObject({ available: '42.50' });
    const fetched = await t.http.get(`/v1/wallet/top_ups/${created.body.id}`).set(auth(payer)).expect(200);
    expect(fetched.body.client_secret).toBeNull();
  });

  it('credits nothing on payment_intent.payment_failed', async () => {
    const payer = await signUp(t, { capabilities: ['pay'] });
    const created = await t.http
      .post('/v1/wallet/top_ups')
      .set(auth(payer))
      .send({ amount: '10.00', currency: 'usd' })
      .expect(201);
    await deliver('payment_intent.payment_failed', created.body.provider_payment_id, {
      status: 'requires_payment_method',
      last_payment_error: { code: 'card_declined', message: 'Your card was declined.' },
    });
    await eventually(async () => (await topUpStatus(payer, created.body.id)) === 'failed', 'the top-up to fail');
    const fetched = await t.http.get(`/v1/wallet/top_ups/${created.body.id}`).set(auth(payer)).expect(200);
    expect(fetched.body).toMatchObject({ failure_code: 'card_declined' });
    expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(0n);
  });

  it('refuses test_outcome and the top-up test helpers, which belong to the local rail', async () => {
    const payer = await signUp(t, { capabilities: ['pay'] });
    const sdk = sdkFor(t, payer.secret);
    const intentsBefore = stripe.objects.size;
    const refused = await sdk
      .walletsCreate({ amount: '10.00', currency: 'usd', test_outcome: 'pending' })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 400, code: 'test_helpers_unavailable', param: 'test_outcome' });
    expect(stripe.objects.size).toBe(intentsBefore);
    expect((await sdk.walletsList()).data).toEqual([]);

    const created = await sdk.walletsCreate({ amount: '10.00', currency: 'usd' });
    expect(created.status).toBe('pending');
    for (const call of [sdk.topUpTestHelpersSucceed(created.id), sdk.topUpTestHelpersFail(created.id, {})]) {
      expect(await call.catch((e: unknown) => e)).toMatchObject({ status: 400, code: 'test_helpers_unavailable' });
    }
    expect(await sdk.walletsGetTopUp(created.id)).toMatchObject({ status: 'pending' });
    expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(0n);
  });
});
