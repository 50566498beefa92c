import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import type { AiReceiveApi, PayoutView } from '../libs/sdk/src/index.js';
import { PAYOUTS_QUEUE } from '../src/common/queues.js';
import { submitPayoutJobId } from '../src/payouts/payouts.queues.js';
import { signUp } from './support/factories.js';
import { FakeStripe, StripeRequest, stripeError, stripeId } from './support/fake-stripe.js';
import { installPayoutRoutes, transfersByPayout } from './support/fake-stripe-payouts.js';
import { balances, creditPending, trialBalance } from './support/payout-factories.js';
import { PrivateRedis, privateDatabase } from './support/private-services.js';
import { sdkFor } from './support/sdk.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { TEST_ADMIN_KEY } from './support/test-env.js';

/** The SDK's timeout for one Stripe request in this suite (STRIPE_TIMEOUT_MS; 20 s by default). */
const STRIPE_TIMEOUT_MS = 1000;
const WEBHOOK_SECRET = 'whsec_test_payout_retries';
const USD = 1_000_000_000n; // one dollar in nanos

async function eventually<T>(probe: () => Promise<T | null | undefined | false>, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Receiver {
  id: string;
  connected: string;
  sdk: AiReceiveApi;
}

/**
 * The payout worker against the real Stripe SDK and a fake Stripe that fails on demand: 5xx answers and timeouts
 * are retried (by the SDK, then by BullMQ with backoff) under the same idempotency key and end in exactly one
 * transfer; a 4xx refusal fails the payout at once and gives the money back.
 */
describe('Stripe payouts when Stripe fails', () => {
  let stripe: FakeStripe;
  let redis: PrivateRedis;
  let t: TestApp;
  let db: DataSource;
  let queue: Queue;

  beforeAll(async () => {
    stripe = installPayoutRoutes(await FakeStripe.start());
    redis = await PrivateRedis.start();
    t = await startTestApp({
      DATABASE_URL: await privateDatabase('payout_stripe_retries'),
      REDIS_URL: redis.url,
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_fake_platform_key',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: stripe.url,
      STRIPE_TIMEOUT_MS: String(STRIPE_TIMEOUT_MS),
      // No clock: every retry seen here comes from the SDK or from BullMQ, none from the stuck-payout sweep.
      PAYOUT_TICK_SECONDS: '0',
    });
    db = t.app.get(DataSource);
    queue = new Queue(PAYOUTS_QUEUE, { connection: { url: redis.url }, prefix: 'air' });
  }, 120_000);

  afterEach(() => stripe.clearFaults());

  afterAll(async () => {
    await queue?.close();
    await t?.close();
    await stripe?.close();
    await redis?.stop();
  });

  /** A receiver onboarded on Stripe (a connected account at the fake), with 100.00 available, paid manually. */
  async function fundedReceiver(): Promise<Receiver> {
    const account = await signUp(t, { capabilities: ['receive'] });
    const connected = stripe.store({ id: stripeId('acct'), object: 'account', payouts_enabled: true }).id;
    await db.query(
      `UPDATE accounts SET provider_account_id = $2, verification_status = 'verified', charges_enabled = true,
              payouts_enabled = true WHERE id = $1`,
      [account.id, connected],
    );
    const admin = sdkFor(t, TEST_ADMIN_KEY);
    await admin.adminPayoutsUpdate(account.id, { settlement_delay_days: 0 });
    const sdk = sdkFor(t, account.secret);
    await sdk.payoutSettingsUpdate({ schedule: { interval: 'manual' } });
    await creditPending(t, account.id, '100.00');
    await admin.adminPayoutsRun();
    expect((await balances(t, account.id)).available).toBe(100n * USD);
    return { id: account.id, connected, sdk };
  }

  function waitForStatus(receiver: Receiver, id: string, statuses: string[], ms?: number): Promise<PayoutView> {
    return eventually(
      async () => {
        const payout = await receiver.sdk.payoutsGet(id);
        return statuses.includes(payout.status) && payout;
      },
      `payout ${id} to be ${statuses.join(' or ')}`,
      ms,
    );
  }

  /** Stripe says the payout reached the bank (the payout.paid webhook). */
  async function stripePaysOut(payout: PayoutView): Promise<void> {
    const paid = stripe.update(payout.provider_payout_id!, { status: 'paid' });
    await stripe.deliver(t.http, stripe.event('payout.paid', paid), WEBHOOK_SECRET).expect(200);
  }

  /** Every request the worker sent to Stripe about one payout (by transfer group, metadata or transfer id). */
  function requestsFor(payoutId: string) {
    const about = (r: StripeRequest) =>
      r.body.transfer_group === payoutId ||
      (r.body.metadata as Record<string, string> | undefined)?.payout_id === payoutId;
    return {
      transferCreations: stripe.requestsTo('POST', '/v1/transfers').filter(about),
      transferLookups: stripe
        .requestsTo('GET', '/v1/transfers')
        .filter((r) => r.query.get('transfer_group') === payoutId),
      payoutCreations: stripe.requestsTo('POST', '/v1/payouts').filter(about),
      reversals: stripe.requestsTo('POST', /^\/v1\/transfers\/[^/]+\/reversals$/).filter(about),
    };
  }

  it('retries 5xx answers with the same idempotency key until Stripe recovers, and transfers once', async () => {
    const receiver = await fundedReceiver();
    // Six failed transfer creations: the SDK tries three times per job attempt, so two job attempts fail and
    // BullMQ retries the job after its backoff (1 s, then 2 s). Then one failed payout creation the SDK retries.
    stripe.failNext('POST', '/v1/transfers', 5, { reply: stripeError(500, 'api_error', 'An unknown error occurred.') });
    stripe.failNext('POST', '/v1/transfers', 1, { reply: stripeError(503, 'api_error', 'Service unavailable.') });
    stripe.failNext('POST', '/v1/payouts', 1, { reply: stripeError(503, 'api_error', 'Service unavailable.') });
    const created = await receiver.sdk.payoutsCreate({ amount: '60.00', currency: 'usd' });

    // While Stripe fails, the payout stays pending and its money stays held: a 5xx is not a refusal.
    await eventually(async () => requestsFor(created.id).transferCreations.length >= 3, 'the first job attempt');
    expect((await receiver.sdk.payoutsGet(created.id)).status).toBe('pending');
    expect(await balances(t, receiver.id)).toMatchObject({ available: 40n * USD, inTransit: 60n * USD });

    const payout = await waitForStatus(receiver, created.id, ['in_transit']);
    const sent = requestsFor(created.id);
    // Three job attempts, each of which first looked for an earlier transfer.
    expect(sent.transferLookups).toHaveLength(3);
    expect(sent.transferCreations).toHaveLength(7);
    expect(new Set(sent.transferCreations.map((r) => r.idempotencyKey))).toEqual(
      new Set([`payout-${created.id}-transfer`]),
    );
    expect(sent.payoutCreations).toHaveLength(2);
    expect(new Set(sent.payoutCreations.map((r) => r.idempotencyKey))).toEqual(
      new Set([`payout-${created.id}-payout`]),
    );
    expect(stripe.faultsLeft()).toBe(0);

    expect(transfersByPayout(stripe).get(created.id)).toBe(1);
    const transfer = stripe.get(payout.provider_transfer_id!)!;
    expect(transfer).toMatchObject({ object: 'transfer', amount: 6000, destination: receiver.connected });
    expect(stripe.get(payout.provider_payout_id!)).toMatchObject({ object: 'payout', account: receiver.connected });
    expect(payout).toMatchObject({ failure_code: null, provider: 'stripe' });
    expect(await balances(t, receiver.id)).toEqual({
      pending: 0n,
      available: 40n * USD,
      reserve: 0n,
      inTransit: 60n * USD,
    });

    // The job succeeded on its third attempt, of a bounded twelve.
    const job = (await queue.getJob(submitPayoutJobId(created.id)))!;
    expect(await job.getState()).toBe('completed');
    expect(job.opts).toMatchObject({ attempts: 12, backoff: { type: 'exponential', delay: 1000 } });
    expect(job.attemptsStarted).toBe(3);

    await stripePaysOut(payout);
    await waitForStatus(receiver, created.id, ['paid']);
    expect(await balances(t, receiver.id)).toEqual({ pending: 0n, available: 40n * USD, reserve: 0n, inTransit: 0n });
    expect(stripe.requestsTo('POST', /^\/v1\/transfers\/[^/]+\/reversals$/)).toHaveLength(0);
  }, 60_000);

  it('finds the transfer and the payout that timed-out requests made instead of making second ones', async () => {
    const receiver = await fundedReceiver();
    // Stripe makes the transfer but answers after the SDK gave up. The SDK's two retries (same key) meet the
    // first request still in progress (409) and give up too; the job's next attempt finds the transfer by its
    // transfer_group. The same happens to the payout made on the connected account, found by its metadata on
    // the third attempt.
    stripe.failNext('POST', '/v1/transfers', 1, { holdMs: 5 * STRIPE_TIMEOUT_MS });
    stripe.failNext('POST', '/v1/payouts', 1, { holdMs: 5 * STRIPE_TIMEOUT_MS });
    const created = await receiver.sdk.payoutsCreate({ amount: '60.00', currency: 'usd' });

    const payout = await waitForStatus(receiver, created.id, ['in_transit']);
    const sent = requestsFor(created.id);
    expect(sent.transferLookups).toHaveLength(3);
    expect(sent.transferCreations).toHaveLength(3);
    expect(new Set(sent.transferCreations.map((r) => r.idempotencyKey))).toEqual(
      new Set([`payout-${created.id}-transfer`]),
    );
    expect(sent.payoutCreations).toHaveLength(3);
    expect(new Set(sent.payoutCreations.map((r) => r.idempotencyKey))).toEqual(
      new Set([`payout-${created.id}-payout`]),
    );
    const payoutLookups = stripe
      .requestsTo('GET', '/v1/payouts')
      .filter((r) => r.headers['stripe-account'] === receiver.connected);
    expect(payoutLookups).toHaveLength(2);
    expect(stripe.faultsLeft()).toBe(0);

    expect(transfersByPayout(stripe).get(created.id)).toBe(1);
    const made = (type: string) =>
      [...stripe.objects.values()].filter(
        (o) => o.object === type && (o.metadata as Record<string, string>).payout_id === created.id,
      );
    expect(made('transfer').map((o) => o.id)).toEqual([payout.provider_transfer_id]);
    expect(made('payout').map((o) => o.id)).toEqual([payout.provider_payout_id]);
    expect(await balances(t, receiver.id)).toEqual({
      pending: 0n,
      available: 40n * USD,
      reserve: 0n,
      inTransit: 60n * USD,
    });
  }, 60_000);

  it('fails the payout at once when Stripe refuses the payout, and pulls the transfer back', async () => {
    const receiver = await fundedReceiver();
    // An external account the connected account does not have: Stripe answers 400 resource_missing.
    await receiver.sdk.payoutSettingsUpdate({
      destination: { type: 'external_account', external_account: 'ba_not_on_this_account' },
    });
    const created = await receiver.sdk.payoutsCreate({ amount: '60.00', currency: 'usd' });

    const payout = await waitForStatus(receiver, created.id, ['failed']);
    expect(payout).toMatchObject({
      failure_code: 'resource_missing',
      failure_message: expect.stringContaining("No such external account: 'ba_not_on_this_account'"),
      provider_payout_id: null,
      provider_transfer_id: expect.stringMatching(/^tr_/),
    });
    // The transfer that was made before the refusal goes back to the platform, once.
    await eventually(async () => requestsFor(created.id).reversals.length === 1, 'the transfer reversal');
    expect(stripe.get(payout.provider_transfer_id!)).toMatchObject({ amount: 6000, amount_reversed: 6000 });
    await pause(2000); // time for any (wrong) retry to show up
    const sent = requestsFor(created.id);
    expect(sent.transferCreations).toHaveLength(1);
    expect(sent.payoutCreations).toHaveLength(1);
    expect(sent.reversals).toHaveLength(1);
    expect(sent.reversals[0].idempotencyKey).toBe(`payout-${created.id}-reversal`);
    expect(await balances(t, receiver.id)).toEqual({ pending: 0n, available: 100n * USD, reserve: 0n, inTransit: 0n });
    expect((await receiver.sdk.payoutSettingsGet()).payouts_paused).toBe(true);
  }, 60_000);

  it('fails the payout at once when Stripe refuses the transfer, with nothing to pull back', async () => {
    const receiver = await fundedReceiver();
    stripe.failNext('POST', '/v1/transfers', 1, {
      reply: stripeError(
        400,
        'invalid_request_error',
        'Your destination account needs to have at least one of the following capabilities enabled: transfers.',
        { code: 'insufficient_capabilities_for_transfer', param: 'destination' },
      ),
    });
    const created = await receiver.sdk.payoutsCreate({ amount: '60.00', currency: 'usd' });

    const payout = await waitForStatus(receiver, created.id, ['failed']);
    expect(payout).toMatchObject({
      failure_code: 'insufficient_capabilities_for_transfer',
      provider_payout_id: null,
      provider_transfer_id: null,
    });
    await pause(2000);
    const sent = requestsFor(created.id);
    expect(sent.transferCreations).toHaveLength(1);
    expect(sent.payoutCreations).toHaveLength(0);
    expect(sent.reversals).toHaveLength(0);
    expect(transfersByPayout(stripe).has(created.id)).toBe(false);
    expect(stripe.faultsLeft()).toBe(0);
    expect(await balances(t, receiver.id)).toEqual({ pending: 0n, available: 100n * USD, reserve: 0n, inTransit: 0n });
    const job = (await queue.getJob(submitPayoutJobId(created.id)))!;
    expect(await job.getState()).toBe('completed');
    expect(job.attemptsStarted).toBe(1);

    for (const row of await trialBalance(t)) {
      expect(row).toMatchObject({ posted_difference: '0', pending_difference: '0' });
    }
  }, 60_000);
});
