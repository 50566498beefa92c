import { DataSource } from 'typeorm';
import { UsageMaintenanceService } from '../src/metering/usage-maintenance.service.js';
import { auth } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { payerFor, sendUsage, usageEvent, vendorWithPrice } from './support/usage-factories.js';

const DAY_MS = 86_400_000;

describe('Token Pay storage: partitions, dedup retention, lists', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function partitions(parent: string): Promise<string[]> {
    const rows: Array<{ name: string }> = await t.app.get(DataSource).query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = $1::regclass ORDER BY 1`,
      [parent],
    );
    return rows.map((row) => row.name);
  }

  it('keeps monthly partitions from the oldest acceptable usage to three months ahead', async () => {
    const maintenance = t.app.get(UsageMaintenanceService);
    const inSixMonths = new Date(Date.now() + 183 * DAY_MS);
    await maintenance.ensurePartitions(inSixMonths);
    const month = (at: Date) => `y${at.getUTCFullYear()}m${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
    const events = await partitions('usage_events');
    const rejections = await partitions('usage_event_rejections');
    for (const at of [
      new Date(Date.now() - 35 * DAY_MS),
      new Date(),
      inSixMonths,
      new Date(inSixMonths.getTime() + 90 * DAY_MS),
    ]) {
      expect(events).toContain(`usage_events_${month(at)}`);
      expect(rejections).toContain(`usage_event_rejections_${month(at)}`);
    }
    // Idempotent: a second pass creates nothing.
    expect(await maintenance.ensurePartitions(inSixMonths)).toBe(0);
  });

  it('prunes dedup keys only once no event they protect can be accepted any more', async () => {
    const { vendor, product } = await vendorWithPrice(t, { per_call: '0.01' });
    const { mandate } = await payerFor(t, vendor);
    const event = usageEvent(mandate.id, product.id, { quantities: { calls: 1 } });
    expect((await sendUsage(t, vendor, [event]))[0].status).toBe('accepted');
    const maintenance = t.app.get(UsageMaintenanceService);
    expect(maintenance.dedupRetentionMs()).toBeGreaterThanOrEqual(35 * DAY_MS);

    await maintenance.pruneDedupKeys(new Date(Date.now() + 30 * DAY_MS));
    expect((await sendUsage(t, vendor, [event]))[0].status).toBe('duplicate');

    await maintenance.pruneDedupKeys(new Date(Date.now() + maintenance.dedupRetentionMs() + 60_000));
    const keys: unknown[] = await t.app
      .get(DataSource)
      .query(`SELECT 1 FROM usage_event_keys WHERE account_id = $1`, [vendor.id]);
    expect(keys).toEqual([]);
  });

  it('lists accepted and refused events newest first, filtered and paginated', async () => {
    const { vendor, product } = await vendorWithPrice(t, { per_call: '0.01' });
    const first = await payerFor(t, vendor);
    const second = await payerFor(t, vendor);
    const results = await sendUsage(t, vendor, [
      usageEvent(first.mandate.id, product.id, { quantities: { calls: 1 } }),
      usageEvent(second.mandate.id, product.id, { quantities: { calls: 2 } }),
      usageEvent(first.mandate.id, product.id, { quantities: { calls: -1 } }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'rejected']);

    const all = (await t.http.get('/v1/usage_events?limit=2').set(auth(vendor)).expect(200)).body;
    expect(all.data).toHaveLength(2);
    expect(all.has_more).toBe(true);
    const rest = (
      await t.http.get(`/v1/usage_events?limit=2&starting_after=${all.data[1].id}`).set(auth(vendor)).expect(200)
    ).body;
    expect(rest.data).toHaveLength(1);
    expect(rest.has_more).toBe(false);
    expect([...all.data, ...rest.data].map((e: { outcome: string }) => e.outcome).sort()).toEqual([
      'accepted',
      'accepted',
      'rejected',
    ]);

    const byMandate = (
      await t.http.get(`/v1/usage_events?mandate=${first.mandate.id}&outcome=accepted`).set(auth(vendor)).expect(200)
    ).body;
    expect(byMandate.data).toEqual([
      expect.objectContaining({
        object: 'usage_event',
        outcome: 'accepted',
        mandate: first.mandate.id,
        payer: first.payer.id,
        product: product.id,
        amount: '0.01',
        quantities: expect.objectContaining({ calls: 1 }),
        ledger_reference: expect.stringMatching(/^usage:/),
      }),
    ]);
    const later = Math.floor(Date.now() / 1000) + 3600;
    const none = (await t.http.get(`/v1/usage_events?created_gte=${later}`).set(auth(vendor)).expect(200)).body;
    expect(none.data).toEqual([]);
    const rejected = (await t.http.get('/v1/usage_events?outcome=rejected').set(auth(vendor)).expect(200)).body;
    expect(rejected.data).toEqual([expect.objectContaining({ outcome: 'rejected', code: 'invalid_quantity' })]);
  });
});
