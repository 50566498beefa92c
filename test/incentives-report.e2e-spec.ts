import { DataSource } from 'typeorm';
import { TransactionRunner } from '../src/database/transaction-runner.js';
import { IncentivesService } from '../src/incentives/incentives.service.js';
import { LedgerService } from '../src/ledger/ledger.service.js';
import { adminAuth } from './support/factories.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { nowSeconds, payerFor, sendUsage, usageEvent, vendorWithPrice } from './support/usage-factories.js';

type Body = Record<string, unknown>;

function utcDay(offsetDays = 0): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

describe('incentive program report', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  it('equals the ledger to the nano: funded, withdrawn, spent, remaining, per account and per day', async () => {
    const { vendor, product } = await vendorWithPrice(t, { per_million_tokens: { input: '0.15', output: '0.60' } });
    const created = await t.http
      .post('/v1/admin/incentive_programs')
      .set(adminAuth)
      .send({
        name: 'Report me',
        type: 'token_subsidy',
        currency: 'usd',
        status: 'active',
        auto_enroll: true,
        starts_at: nowSeconds() - 3600,
        // Limited to this test's vendor: other test files bill usage in the same database at the same time.
        token_subsidy: { percent: '33.33', eligible_vendors: [vendor.id] },
      })
      .expect(201);
    const program = created.body as Body & { id: string };
    const fund = (amount: string) =>
      t.http.post(`/v1/admin/incentive_programs/${program.id}/fund`).set(adminAuth).send({ amount }).expect(200);
    await fund('1.000000001');
    await fund('0.5');

    const payers = [await payerFor(t, vendor), await payerFor(t, vendor), await payerFor(t, vendor)];
    const usage: string[] = [];
    for (const [i, { mandate }] of payers.entries()) {
      const results = await sendUsage(
        t,
        vendor,
        Array.from({ length: i + 2 }, (_, n) =>
          usageEvent(mandate.id, product.id, {
            quantities: { input_tokens: 123_457 * (n + 1), output_tokens: 98_765 },
          }),
        ),
      );
      usage.push(...results.map((r) => r.usage_event!));
    }
    // A refund of part of the first event gives part of its subsidy back.
    const refunded = await t.app.get(TransactionRunner).run((manager) =>
      t.app.get(IncentivesService).returnBenefits(manager, {
        sourceType: 'usage_event',
        sourceId: usage[0],
        refundedAmount: 10_000_001n,
        reasonType: 'refund',
        reasonId: 're_report',
        returnFrom: (benefit) => ({ owner: benefit.accountId, purpose: 'wallet', currency: 'usd' }),
      }),
    );
    expect(refunded).toBeGreaterThan(0n);
    await t.http
      .post(`/v1/admin/incentive_programs/${program.id}/withdraw`)
      .set(adminAuth)
      .send({ amount: '0.1' })
      .expect(200);

    const budget = await t.app.get(LedgerService).balance({ owner: program.id, purpose: 'budget', currency: 'usd' });
    const entries: Array<{ type: string; direction: string; amount: string; day: string; beneficiary: string | null }> =
      await db.query(
        `SELECT tx.type, e.direction, e.amount, to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
                COALESCE(tx.metadata->>'beneficiary', b.account_id) AS beneficiary
           FROM ledger_entries e
           JOIN ledger_transactions tx ON tx.id = e.transaction_id
           LEFT JOIN incentive_benefits b ON b.id = tx.metadata->>'incentive_benefit'
          WHERE e.account_id = $1`,
        [budget.accountId],
      );
    const sum = (filter: (e: (typeof entries)[number]) => boolean) =>
      entries.filter(filter).reduce((total, e) => total + BigInt(e.amount), 0n);
    const isBenefit = (e: (typeof entries)[number]) => e.type === 'incentive_subsidy' && e.direction === 'debit';
    const isReturn = (e: (typeof entries)[number]) => e.type === 'incentive_return' && e.direction === 'credit';
    const nanos = (decimal: unknown) => {
      const [units, fraction = ''] = String(decimal).split('.');
      return BigInt(units) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
    };

    const report = await t.http
      .get(`/v1/admin/incentive_programs/${program.id}/report?group_by=account`)
      .set(adminAuth)
      .expect(200);
    expect(report.body).toMatchObject({ object: 'incentive_program_report', program: program.id, beneficiaries: 3 });
    expect(nanos(report.body.funded)).toBe(sum((e) => e.type === 'incentive_funding'));
    expect(nanos(report.body.withdrawn)).toBe(sum((e) => e.type === 'incentive_withdrawal'));
    expect(nanos(report.body.spent)).toBe(sum(isBenefit) - sum(isReturn));
    expect(nanos(report.body.remaining)).toBe(budget.posted);
    expect(report.body.rows).toHaveLength(3);
    for (const row of report.body.rows as Body[]) {
      expect(nanos(row.granted)).toBe(sum((e) => isBenefit(e) && e.beneficiary === row.account));
      expect(nanos(row.returned)).toBe(sum((e) => isReturn(e) && e.beneficiary === row.account));
      expect(nanos(row.spent)).toBe(nanos(row.granted) - nanos(row.returned));
    }
    expect((report.body.rows as Body[]).map((row) => row.benefits).sort()).toEqual([2, 3, 4]);

    const byDay = await t.http
      .get(`/v1/admin/incentive_programs/${program.id}/report?group_by=day&from=${utcDay(-1)}&to=${utcDay(1)}`)
      .set(adminAuth)
      .expect(200);
    for (const row of byDay.body.rows as Body[]) {
      expect(nanos(row.spent)).toBe(
        sum((e) => isBenefit(e) && e.day === row.day) - sum((e) => isReturn(e) && e.day === row.day),
      );
    }
    expect(byDay.body.rows.reduce((total: bigint, row: Body) => total + nanos(row.spent), 0n)).toBe(
      nanos(report.body.spent),
    );
    expect(nanos(byDay.body.remaining)).toBe(budget.posted);

    // A period that ended before anything happened: nothing in it, nothing remaining at its end.
    const before = await t.http
      .get(`/v1/admin/incentive_programs/${program.id}/report?from=${utcDay(-10)}&to=${utcDay(-2)}`)
      .set(adminAuth)
      .expect(200);
    expect(before.body).toMatchObject({ funded: '0.00', spent: '0.00', remaining: '0.00', beneficiaries: 0, rows: [] });
  });

  it('refuses malformed and inverted periods', async () => {
    const program = (
      await t.http
        .post('/v1/admin/incentive_programs')
        .set(adminAuth)
        .send({ name: 'Empty', type: 'signup_credit', currency: 'usd', signup_credit: { credit_amount: '1' } })
        .expect(201)
    ).body;
    const base = `/v1/admin/incentive_programs/${program.id}/report`;
    expect((await t.http.get(`${base}?from=2025-02-30`).set(adminAuth).expect(400)).body.error.param).toBe('from');
    expect(
      (await t.http.get(`${base}?from=2025-03-02&to=2025-03-01`).set(adminAuth).expect(400)).body.error.param,
    ).toBe('from');
    expect((await t.http.get(`${base}?group_by=week`).set(adminAuth).expect(400)).body.error.param).toBe('group_by');
    await t.http.get('/v1/admin/incentive_programs/prog_missing/report').set(adminAuth).expect(404);
  });
});
