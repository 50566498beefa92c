import type { ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { PAYOUTS_QUEUE } from '../src/common/queues.js';
import { adminAuth, auth, signUp, TestAccount } from './support/factories.js';
import { CompiledApp, exited } from './support/compiled-app.js';
import { FakeStripe, stripeId } from './support/fake-stripe.js';
import { installPayoutRoutes, transfersByPayout } from './support/fake-stripe-payouts.js';
import { balances, creditPending, payoutReceiver, runPayoutClock, trialBalance } from './support/payout-factories.js';
import { PrivateRedis, privateDatabase } from './support/private-services.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { TEST_ADMIN_KEY } from './support/test-env.js';

const WEBHOOK_SECRET = 'whsec_test_payout_faults';

async function eventually<T>(
  probe: () => Promise<T | null | undefined | false>,
  what: string,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Stripe payouts through a real worker process', () => {
  let stripe: FakeStripe;
  let redis: PrivateRedis;
  let app: CompiledApp;
  let t: TestApp;
  let db: DataSource;
  let databaseUrl: string;
  let worker: ChildProcess | null = null;
  const receivers: TestAccount[] = [];
  const payoutIds: string[] = [];

  function startWorker(extra: Record<string, string> = {}): ChildProcess {
    return app.start({
      APP_ROLE: 'worker',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      DATABASE_POOL_SIZE: '5',
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_fake_platform_key',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: stripe.url,
      PAYOUT_TICK_SECONDS: '1',
      PAYOUT_RESUBMIT_AFTER_SECONDS: '2',
      ...extra,
    });
  }

  async function payout(id: string, receiver: TestAccount): Promise<Record<string, unknown>> {
    return (await t.http.get(`/v1/payouts/${id}`).set(auth(receiver)).expect(200)).body;
  }

  function postEvent(event: object) {
    return stripe.deliver(t.http, event, WEBHOOK_SECRET).expect(200);
  }

  /** Stripe's payout object for one of ours, as a webhook would carry it after the given change. */
  function stripePayout(payoutId: string, changes: Record<string, unknown>): Record<string, unknown> {
    const found = [...stripe.objects.values()].find(
      (o) => o.object === 'payout' && (o.metadata as Record<string, string>).payout_id === payoutId,
    )!;
    return { ...found, ...changes };
  }

  /** The payout changes on Stripe's side; the event that says so is built with stripePayout. */
  function stripeChanges(payoutId: string, changes: Record<string, unknown>): Record<string, unknown> {
    const object = stripePayout(payoutId, changes);
    stripe.update(String(object.id), changes);
    return object;
  }

  async function payoutEvents(payoutId: string): Promise<string[]> {
    const rows: Array<{ type: string }> = await db.query(
      `SELECT type FROM events WHERE data->'object'->>'id' = $1 ORDER BY id`,
      [payoutId],
    );
    return rows.map((row) => row.type);
  }

  beforeAll(async () => {
    stripe = installPayoutRoutes(await FakeStripe.start());
    redis = await PrivateRedis.start();
    databaseUrl = await privateDatabase('payout_faults_stripe');
    app = await CompiledApp.build();
    t = await startTestApp({
      APP_ROLE: 'api',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_fake_platform_key',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: stripe.url,
      PAYOUT_TICK_SECONDS: '0',
    });
    db = t.app.get(DataSource);
    for (let i = 0; i < 4; i++) {
      const receiver = await signUp(t, { capabilities: ['receive'] });
      const connected = stripe.store({ id: stripeId('acct'), object: 'account', payouts_enabled: true });
      await db.query(
        `UPDATE accounts SET provider_account_id = $2, verification_status = 'verified', charges_enabled = true,
                payouts_enabled = true WHERE id = $1`,
        [receiver.id, connected.id],
      );
      await t.http
        .put(`/v1/admin/accounts/${receiver.id}/payout_settings`)
        .set(adminAuth)
        .send({ settlement_delay_days: 0 })
        .expect(200);
      await t.http
        .put('/v1/payout_settings')
        .set(auth(receiver))
        .send({ schedule: { interval: 'manual' } })
        .expect(200);
      await creditPending(t, receiver.id, '100.00');
      receivers.push(receiver);
    }
    await runPayoutClock(t);
  }, 300_000);

  afterAll(async () => {
    if (worker) {
      worker.kill('SIGTERM');
      await exited(worker);
    }
    await t?.close();
    await stripe?.close();
    await redis?.stop();
    await app?.remove();
  });

  it('makes exactly one transfer per payout when the worker dies between the provider call and the commit', async () => {
    for (const receiver of receivers) {
      const created = await t.http
        .post('/v1/payouts')
        .set(auth(receiver))
        .send({ amount: '60.00', currency: 'usd' })
        .expect(201);
      payoutIds.push(created.body.id);
    }
    const crashing = startWorker({ FAULT_INJECTION: 'crash_after_payout_provider_call' });
    expect(await exited(crashing)).toBe('SIGKILL');
    // Stripe did its part for some payouts; our side never committed it.
    const transferredBeforeCrash = transfersByPayout(stripe);
    expect(transferredBeforeCrash.size).toBeGreaterThan(0);
    for (const id of transferredBeforeCrash.keys()) {
      expect((await payout(id, receivers[payoutIds.indexOf(id)])).status).toBe('pending');
    }

    worker = startWorker();
    for (const [index, id] of payoutIds.entries()) {
      await eventually(async () => (await payout(id, receivers[index])).status === 'in_transit', `payout ${id}`);
    }
    const transfers = transfersByPayout(stripe);
    expect([...transfers.keys()].sort()).toEqual([...payoutIds].sort());
    expect([...transfers.values()]).toEqual(payoutIds.map(() => 1));
    expect(stripe.requestsTo('POST', '/v1/transfers')).toHaveLength(payoutIds.length);
    expect(stripe.requestsTo('POST', '/v1/payouts')).toHaveLength(payoutIds.length);
    for (const [index, id] of payoutIds.entries()) {
      expect(await payout(id, receivers[index])).toMatchObject({
        provider: 'stripe',
        provider_payout_id: expect.stringMatching(/^po_/),
        provider_transfer_id: expect.stringMatching(/^tr_/),
      });
    }
  }, 240_000);

  it('applies duplicated and out-of-order payout webhooks once, only moving forward', async () => {
    const [paidId, failedId] = payoutIds;
    const paid = stripe.event('payout.paid', stripeChanges(paidId, { status: 'paid' }));
    await postEvent(paid);
    await postEvent(paid); // the same delivery again
    await postEvent(stripe.event('payout.paid', stripePayout(paidId, { status: 'paid' }))); // a second event, same news
    await postEvent(stripe.event('payout.updated', stripePayout(paidId, { status: 'in_transit' }))); // late and stale
    await eventually(async () => (await payout(paidId, receivers[0])).status === 'paid', 'the paid payout');

    await postEvent(
      stripe.event('payout.failed', stripeChanges(failedId, { status: 'failed', failure_code: 'account_closed' })),
    );
    await postEvent(stripe.event('payout.paid', stripePayout(failedId, { status: 'paid' }))); // older news, later
    await eventually(async () => (await payout(failedId, receivers[1])).status === 'failed', 'the failed payout');
    // The transfer that funded it is pulled back to the platform, once.
    await eventually(
      async () => stripe.requestsTo('POST', /^\/v1\/transfers\/[^/]+\/reversals$/).length === 1,
      'the transfer reversal',
    );
    const transfer = stripe.get(String((await payout(failedId, receivers[1])).provider_transfer_id))!;
    await postEvent(stripe.event('transfer.reversed', transfer));

    // Let the queue drain, then check nothing moved twice or backwards.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await payout(paidId, receivers[0])).toMatchObject({ status: 'paid', returned: false });
    expect(await payout(failedId, receivers[1])).toMatchObject({
      status: 'failed',
      failure_code: 'account_closed',
      returned: false,
    });
    expect(await payoutEvents(paidId)).toEqual(['payout.created', 'payout.updated', 'payout.paid']);
    expect(await payoutEvents(failedId)).toEqual(['payout.created', 'payout.updated', 'payout.failed']);
    expect(stripe.requestsTo('POST', /^\/v1\/transfers\/[^/]+\/reversals$/)).toHaveLength(1);
    expect(await balances(t, receivers[0].id)).toMatchObject({ available: 40_000_000_000n, inTransit: 0n });
    expect(await balances(t, receivers[1].id)).toMatchObject({ available: 100_000_000_000n, inTransit: 0n });
  }, 120_000);

  it('returns a payout that fails after it was paid, and keeps the trial balance at zero', async () => {
    const id = payoutIds[2];
    await postEvent(stripe.event('payout.paid', stripeChanges(id, { status: 'paid' })));
    await eventually(async () => (await payout(id, receivers[2])).status === 'paid', 'the paid payout');
    await postEvent(stripe.event('payout.failed', stripeChanges(id, { status: 'failed', failure_code: 'no_account' })));
    await eventually(async () => (await payout(id, receivers[2])).status === 'failed', 'the returned payout');
    expect(await payout(id, receivers[2])).toMatchObject({ returned: true, failure_code: 'no_account' });
    expect(await balances(t, receivers[2].id)).toMatchObject({ available: 100_000_000_000n, inTransit: 0n });
    for (const row of await trialBalance(t))
      expect(row).toMatchObject({ posted_difference: '0', pending_difference: '0' });
    const settings = await t.http.get('/v1/payout_settings').set(auth(receivers[2])).expect(200);
    expect(settings.body.payouts_paused).toBe(true);
  }, 120_000);

  it('reconciles Stripe transfers and payouts with the ledger', async () => {
    await eventually(
      async () => stripe.requestsTo('POST', /^\/v1\/transfers\/[^/]+\/reversals$/).length === 2,
      'the second reversal',
    );
    const period = {
      from: new Date(Date.now() - 86_400_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    };
    const run = await t.http.post('/v1/admin/reconciliation/runs').set(adminAuth).send(period).expect(201);
    expect(run.body.exceptions).toEqual([]);
    expect(run.body).toMatchObject({ provider: 'stripe', source: 'provider_api', exceptions_found: 0 });
    expect(run.body.matched).toBe(run.body.ledger_lines);
    expect(run.body.matched).toBeGreaterThan(0);
  }, 60_000);
});

describe('a Redis restart in the middle of a payout run', () => {
  let redis: PrivateRedis;
  let t: TestApp;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    t = await startTestApp({
      DATABASE_URL: await privateDatabase('payout_faults_redis'),
      REDIS_URL: redis.url,
      PAYOUT_TICK_SECONDS: '1',
      PAYOUT_RESUBMIT_AFTER_SECONDS: '3',
      PAYOUT_RATE_LIMIT_PER_SECOND: '15',
      PAYOUT_WORKER_CONCURRENCY: '2',
    });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('loses no payout and pays none twice', async () => {
    const receivers: TestAccount[] = [];
    for (let i = 0; i < 40; i++) {
      const receiver = await payoutReceiver(t, { schedule: { interval: 'daily' }, settlementDelayDays: 0 });
      await creditPending(t, receiver.id, '25.00');
      receivers.push(receiver);
    }
    const db = t.app.get(DataSource);
    const run = t.http.post('/v1/admin/payout_runs').set(adminAuth);
    await eventually(
      async () => (await db.query(`SELECT count(*)::int AS n FROM payouts WHERE status = 'paid'`))[0].n >= 5,
      'the first payouts',
    );
    // Jobs still queued now are lost with Redis; only the payout clock's resubmission can pay them afterwards.
    const queue = new Queue(PAYOUTS_QUEUE, { connection: { url: redis.url }, prefix: 'air' });
    const queued = await queue.getJobCountByTypes('waiting', 'delayed', 'prioritized', 'wait');
    await queue.close();
    await redis.restart(); // every queued job and the repeatable tick are gone
    await run;
    await eventually(
      async () => (await db.query(`SELECT count(*)::int AS n FROM payouts WHERE status = 'paid'`))[0].n === 40,
      'every payout to be paid',
      90_000,
    );
    const [counts] = await db.query(
      `SELECT count(*)::int AS payouts, count(DISTINCT account_id)::int AS receivers,
              (SELECT count(*)::int FROM local_bank_transfers) AS transfers,
              (SELECT count(DISTINCT payout_id)::int FROM local_bank_transfers) AS paid_payouts
         FROM payouts`,
    );
    expect(counts).toEqual({ payouts: 40, receivers: 40, transfers: 40, paid_payouts: 40 });
    // The jobs Redis lost were handed to the queue again by the payout clock, under new job ids.
    const [resubmitted] = await db.query(
      `SELECT count(*)::int AS n FROM outbox_messages WHERE queue = 'payouts' AND job_id LIKE 'resubmit-%'`,
    );
    if (queued > 0) expect(resubmitted.n).toBeGreaterThan(0);
    for (const receiver of receivers) {
      expect(await balances(t, receiver.id)).toEqual({ pending: 0n, available: 0n, reserve: 0n, inTransit: 0n });
    }
    for (const row of await trialBalance(t))
      expect(row).toMatchObject({ posted_difference: '0', pending_difference: '0' });
  }, 180_000);
});
