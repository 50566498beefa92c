import { DataSource } from 'typeorm';
import { TransactionRunner } from '../src/database/transaction-runner.js';
import { MandateSpendService } from '../src/mandates/use-cases/spend-from-mandate/spend-from-mandate.service.js';
import { UsageEventsRepository } from '../src/metering/usage-events.repository.js';
import { auth, type TestAccount } from './support/factories.js';
import { ledgerBalance } from './support/payment-factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { payerFor, sendUsage, usageEvent, vendorWithPrice, type UsageResult } from './support/usage-factories.js';

const BATCHES = 20;
const EVENTS_PER_BATCH = 5;

describe('Token Pay under concurrency: one payer, 20 batches at once', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ DATABASE_POOL_SIZE: '20' });
  });
  afterAll(() => t.close());

  /** 20 concurrent batches of 5 events of 0.10 each: 10.00 asked in total. */
  async function race(vendor: TestAccount, mandate: string, product: string): Promise<UsageResult[]> {
    const batches = Array.from({ length: BATCHES }, () =>
      Array.from({ length: EVENTS_PER_BATCH }, () => usageEvent(mandate, product, { quantities: { calls: 1 } })),
    );
    const answers = await Promise.all(batches.map((events) => sendUsage(t, vendor, events)));
    return answers.flat();
  }

  it('never overdraws the wallet: exactly what it holds is accepted, the rest is insufficient_funds', async () => {
    const { vendor, product } = await vendorWithPrice(t, { per_call: '0.10' });
    const { payer, mandate } = await payerFor(t, vendor, '3.00');
    const results = await race(vendor, mandate.id, product.id);
    const accepted = results.filter((r) => r.status === 'accepted');
    expect(accepted).toHaveLength(30);
    expect(results.filter((r) => r.status === 'rejected').map((r) => r.code)).toEqual(
      Array(70).fill('insufficient_funds'),
    );
    expect(await ledgerBalance(t, payer.id, 'wallet')).toMatchObject({ posted: 0n, available: 0n });
    expect((await ledgerBalance(t, vendor.id, 'pending')).posted).toBe(3_000_000_000n - 75_000_000n);
    const view = await t.http.get(`/v1/mandates/${mandate.id}`).set(auth(payer)).expect(200);
    expect(view.body.spent_total).toBe('3.00');
  });

  it('never breaks the mandate’s limits: the day limit admits exactly its worth', async () => {
    const { vendor, product } = await vendorWithPrice(t, { per_call: '0.10' });
    const { payer, mandate } = await payerFor(t, vendor, '100.00', { max_amount_per_day: '4.50' });
    const results = await race(vendor, mandate.id, product.id);
    expect(results.filter((r) => r.status === 'accepted')).toHaveLength(45);
    expect(new Set(results.filter((r) => r.status === 'rejected').map((r) => r.code))).toEqual(
      new Set(['mandate_limit_exceeded']),
    );
    expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(95_500_000_000n);
    const view = await t.http.get(`/v1/mandates/${mandate.id}`).set(auth(payer)).expect(200);
    expect(view.body).toMatchObject({ spent_total: '4.50', spent_today: '4.50' });
  });

  it('declines exactly the events a short wallet cannot cover, and charges the other payers of the batch', async () => {
    const { vendor, product } = await vendorWithPrice(t, { per_call: '0.10' });
    const short = await payerFor(t, vendor, '0.25');
    const funded = await payerFor(t, vendor, '10.00');
    const events = Array.from({ length: 10 }, (_, i) =>
      usageEvent((i % 2 ? funded : short).mandate.id, product.id, { quantities: { calls: 1 } }),
    );
    // Ten batches at once, so that they go through the vendor's transactions together.
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        sendUsage(
          t,
          vendor,
          events.map((event) => ({ ...event, id: `${event.id}-${Math.random().toString(36).slice(2)}` })),
        ),
      ),
    );
    const results = answers.flat();
    const forShort = results.filter((_, i) => i % 2 === 0);
    expect(forShort.filter((r) => r.status === 'accepted')).toHaveLength(2);
    expect(forShort.filter((r) => r.status === 'rejected').map((r) => r.code)).toEqual(
      Array(48).fill('insufficient_funds'),
    );
    expect(results.filter((_, i) => i % 2 === 1).every((r) => r.status === 'accepted')).toBe(true);
    expect(await ledgerBalance(t, short.payer.id, 'wallet')).toMatchObject({ posted: 50_000_000n });
    expect((await ledgerBalance(t, funded.payer.id, 'wallet')).posted).toBe(5_000_000_000n);
    const view = await t.http.get(`/v1/mandates/${short.mandate.id}`).set(auth(short.payer)).expect(200);
    expect(view.body.spent_total).toBe('0.20');
  });

  it('decides again when the receiver is disabled between the decision and the posting', async () => {
    const { vendor } = await vendorWithPrice(t, { per_call: '0.10' });
    const { payer, mandate } = await payerFor(t, vendor, '10.00');
    const db = t.app.get(DataSource);
    let decisions = 0;
    const results = await t.app.get(TransactionRunner).run((manager) =>
      t.app.get(MandateSpendService).spendMany(manager, {
        receiverAccountId: vendor.id,
        currency: 'usd',
        type: 'usage_charge',
        reference: `test:disabled-receiver:${vendor.id}`,
        optimistic: true,
        groups: [
          {
            mandateId: mandate.id,
            charges: [
              {
                amount: 100_000_000n,
                fee: 0n,
                reference: `test:${mandate.id}`,
                sourceType: 'test',
                sourceId: mandate.id,
              },
            ],
          },
        ],
        // Runs after the unlocked read of the receiver: the first time, the operator disables it meanwhile.
        priceFees: async () => {
          if (decisions++ === 0)
            await db.query('UPDATE accounts SET charges_enabled = false WHERE id = $1', [vendor.id]);
          return () => 0n;
        },
      }),
    );
    expect(decisions).toBe(2);
    expect(results[0].outcomes).toEqual([expect.objectContaining({ declineCode: 'receiver_not_enabled' })]);
    expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(10_000_000_000n);
    const view = await t.http.get(`/v1/mandates/${mandate.id}`).set(auth(payer)).expect(200);
    expect(view.body.spent_total).toBe('0.00');
  });

  it('runs each request of a failed transaction again alone, so that none fails for its neighbours', async () => {
    const { vendor, product } = await vendorWithPrice(t, { per_call: '0.10' });
    const { payer, mandate } = await payerFor(t, vendor, '10.00');
    const repository = t.app.get(UsageEventsRepository);
    const claimAndStore = repository.claimAndStore.bind(repository);
    const claimed: string[][] = [];
    // A fault no event outcome explains (a bug, say) whenever the request with the poisoned event takes part.
    repository.claimAndStore = async (manager, accountId, entries, now) => {
      claimed.push(entries.map((entry) => entry.key.eventId));
      if (entries.some((entry) => entry.key.eventId.startsWith('poison'))) throw new Error('poisoned batch');
      return claimAndStore(manager, accountId, entries, now);
    };
    try {
      const healthy = Array.from({ length: 5 }, () =>
        sendUsage(t, vendor, [usageEvent(mandate.id, product.id, { quantities: { calls: 1 } })]),
      );
      const poisoned = t.http
        .post('/v1/usage_events')
        .set(auth(vendor))
        .send(usageEvent(mandate.id, product.id, { id: 'poison-1', quantities: { calls: 1 } }));
      const [answers, failed] = await Promise.all([Promise.all(healthy), poisoned]);
      expect(failed.status).toBe(500);
      expect(answers.flat().map((r) => r.status)).toEqual(Array(5).fill('accepted'));
      // The poisoned request did share a transaction with healthy ones before running alone.
      expect(claimed.some((ids) => ids.includes('poison-1') && ids.length > 1)).toBe(true);
    } finally {
      repository.claimAndStore = claimAndStore;
    }
    expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(9_500_000_000n);
  });

  it('charges an event sent in several concurrent batches exactly once', async () => {
    const { vendor, product } = await vendorWithPrice(t, { per_call: '0.10' });
    const { payer, mandate } = await payerFor(t, vendor, '10.00');
    const shared = Array.from({ length: EVENTS_PER_BATCH }, () =>
      usageEvent(mandate.id, product.id, { quantities: { calls: 1 } }),
    );
    const answers = await Promise.all(
      Array.from({ length: BATCHES }, (_, i) => sendUsage(t, vendor, i % 2 ? [...shared].reverse() : shared)),
    );
    const statuses = answers.flat().map((r) => r.status);
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(EVENTS_PER_BATCH);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength((BATCHES - 1) * EVENTS_PER_BATCH);
    expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(9_500_000_000n);
  });
});
