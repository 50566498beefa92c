import { DataSource } from 'typeorm';
import { TransactionRunner } from '../src/database/transaction-runner.js';
import { IncentivesService } from '../src/incentives/incentives.service.js';
import { LedgerService } from '../src/ledger/ledger.service.js';
import { adminAuth, auth, signUp } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { ledgerBalance } from './support/payment-factories.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { nowSeconds, payerFor, sendUsage, usageEvent, vendorWithPrice } from './support/usage-factories.js';

type Body = Record<string, unknown>;
const NANOS = 1_000_000_000n;

/**
 * An open, auto-enrolling subsidy program limited to the given vendors: other test files run Token Pay usage
 * against the same database at the same time, and must never be subsidized by these programs.
 */
async function subsidyProgram(t: TestApp, vendors: string[], terms: Body, extra: Body = {}): Promise<Body> {
  const response = await t.http
    .post('/v1/admin/incentive_programs')
    .set(adminAuth)
    .send({
      name: 'Token boost',
      type: 'token_subsidy',
      currency: 'usd',
      status: 'active',
      auto_enroll: true,
      // The window is checked against usage timestamps, and test usage happened a minute ago.
      starts_at: nowSeconds() - 3600,
      token_subsidy: { eligible_vendors: vendors, ...terms },
      ...extra,
    });
  expect(response.status).toBe(201);
  return response.body;
}

async function fund(t: TestApp, programId: unknown, amount: string): Promise<void> {
  await t.http.post(`/v1/admin/incentive_programs/${programId}/fund`).set(adminAuth).send({ amount }).expect(200);
}

const budgetOf = (t: TestApp, programId: unknown) =>
  ledgerBalance(t, String(programId), 'budget').then((b) => b.posted);

describe('token subsidies on Token Pay usage', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ DATABASE_POOL_SIZE: '20' });
  });
  afterAll(() => t.close());

  it('pays the subsidy from the budget: the wallet pays cost − subsidy, the vendor the full price − its fee', async () => {
    const { vendor, product } = await vendorWithPrice(t, { per_call: '1.00' });
    const program = await subsidyProgram(t, [vendor.id], { percent: '40' });
    await fund(t, program.id, '100');
    // Open to every payer but not for this vendor: the charge must not enroll its payer there.
    const elsewhere = await subsidyProgram(t, ['acct_another_vendor'], { percent: '90' });
    await fund(t, elsewhere.id, '100');
    const { payer, mandate } = await payerFor(t, vendor, '10.00');

    const [result] = await sendUsage(t, vendor, [usageEvent(mandate.id, product.id, { quantities: { calls: 1 } })]);
    expect(result).toMatchObject({ status: 'accepted', amount: '1.00', fee: '0.025' });

    expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(9_400_000_000n);
    expect(await budgetOf(t, program.id)).toBe(99_600_000_000n);
    expect((await ledgerBalance(t, vendor.id, 'pending')).posted).toBe(975_000_000n);

    const benefits = await t.http.get('/v1/incentives/benefits').set(auth(payer)).expect(200);
    expect(benefits.body.data).toEqual([
      expect.objectContaining({
        type: 'token_subsidy',
        program: program.id,
        account: payer.id,
        amount: '0.40',
        requested: '0.40',
        source: { type: 'usage_event', id: result.usage_event },
      }),
    ]);
    const ledgerTransaction = await t.app
      .get(DataSource)
      .query(`SELECT type, source_type, source_id, metadata FROM ledger_transactions WHERE id = $1`, [
        benefits.body.data[0].ledger_transaction,
      ]);
    expect(ledgerTransaction).toEqual([
      expect.objectContaining({
        type: 'incentive_subsidy',
        source_type: 'usage_event',
        source_id: result.usage_event,
        metadata: expect.objectContaining({ incentive_program: program.id }),
      }),
    ]);

    // auto_enroll enrolled the payer on its first charge, in the program that covered it and no other.
    const enrollments = await t.http.get('/v1/incentive_enrollments').set(auth(payer)).expect(200);
    expect(enrollments.body.data).toEqual([
      expect.objectContaining({ program: program.id, status: 'approved', method: 'automatic' }),
    ]);
  });

  it('subsidizes only enrolled payers, eligible products and vendors, in the program currency', async () => {
    const { vendor, product } = await vendorWithPrice(t, { per_call: '1.00' });
    const other = await vendorWithPrice(t, { per_call: '1.00' });
    const byApplication = await subsidyProgram(
      t,
      [vendor.id],
      { percent: '50', eligible_products: [product.id] },
      { auto_enroll: false },
    );
    await fund(t, byApplication.id, '100');
    const { payer, mandate } = await payerFor(t, vendor, '10.00');
    const call = () => usageEvent(mandate.id, product.id, { quantities: { calls: 1 } });

    await sendUsage(t, vendor, [call()]);
    expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(9n * NANOS);

    const applied = await t.http
      .post(`/v1/incentive_programs/${byApplication.id}/enrollments`)
      .set(auth(payer))
      .send({})
      .expect(201);
    await sendUsage(t, vendor, [call()]);
    expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(8n * NANOS);
    await t.http
      .post(`/v1/admin/incentive_programs/${byApplication.id}/enrollments/${applied.body.id}/approve`)
      .set(adminAuth)
      .expect(200);
    await sendUsage(t, vendor, [call()]);
    expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(7_500_000_000n);

    const otherMandate = await payerFor(t, other.vendor, '10.00');
    await t.http
      .post(`/v1/incentive_programs/${byApplication.id}/enrollments`)
      .set(auth(otherMandate.payer))
      .send({})
      .expect(201);
    await sendUsage(t, other.vendor, [
      usageEvent(otherMandate.mandate.id, other.product.id, { quantities: { calls: 1 } }),
    ]);
    expect((await ledgerBalance(t, otherMandate.payer.id, 'wallet')).posted).toBe(9n * NANOS);
  });

  it('cuts the subsidy to what remains and then charges full price: 20 concurrent batches spend exactly the budget', async () => {
    const { vendor, product } = await vendorWithPrice(t, { per_million_tokens: { input: '0.15', output: '0.60' } });
    const program = await subsidyProgram(t, [vendor.id], { percent: '50' });
    await fund(t, program.id, '3.333333333');
    const payers: Array<{ payer: TestAccount; mandate: { id: string } }> = [];
    for (let i = 0; i < 4; i++) payers.push(await payerFor(t, vendor, '1000.00'));

    // 20 batches × 10 events × 1M input + 0.5M output tokens = 0.45 each: 90.00 of usage, 45.00 of promised subsidy.
    const batches = Array.from({ length: 20 }, (_, b) =>
      Array.from({ length: 10 }, (_, i) =>
        usageEvent(payers[(b + i) % 4].mandate.id, product.id, {
          quantities: { input_tokens: 1_000_000, output_tokens: 500_000 },
        }),
      ),
    );
    const results = (await Promise.all(batches.map((events) => sendUsage(t, vendor, events)))).flat();
    expect(results.every((r) => r.status === 'accepted')).toBe(true);

    expect(await budgetOf(t, program.id)).toBe(0n);
    const rows: Array<{ count: string; total: string; full: string; cut: string }> = await t.app.get(DataSource).query(
      `SELECT COUNT(*) AS count, SUM(amount) AS total, COUNT(*) FILTER (WHERE amount = 225000000) AS full,
              COUNT(*) FILTER (WHERE amount < 225000000) AS cut
         FROM incentive_benefits WHERE program_id = $1`,
      [program.id],
    );
    expect(rows[0]).toEqual({ count: '15', total: '3333333333', full: '14', cut: '1' });

    // Every payer paid the full 0.45 of each event, minus what the budget paid back: 90.00 − 3.333333333 in all.
    let paid = 0n;
    for (const { payer } of payers) paid += 1000n * NANOS - (await ledgerBalance(t, payer.id, 'wallet')).posted;
    expect(paid).toBe(90n * NANOS - 3_333_333_333n);
    const view = await t.http.get(`/v1/admin/incentive_programs/${program.id}`).set(adminAuth).expect(200);
    expect(view.body.budget).toMatchObject({ funded: '3.333333333', spent: '3.333333333', remaining: '0.00' });
    const events: Array<{ type: string }> = await t.app.get(DataSource).query(
      `SELECT type FROM events WHERE account_id = 'platform' AND data->'object'->>'id' = $1
           AND type IN ('incentive_program.budget_low', 'incentive_program.budget_exhausted') ORDER BY type`,
      [program.id],
    );
    expect(events.map((e) => e.type)).toEqual(['incentive_program.budget_exhausted', 'incentive_program.budget_low']);
  });

  it('caps the subsidy per payer and calendar month of the usage, fresh again in the next month', async () => {
    const now = new Date();
    const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) / 1000;
    const { vendor, product } = await vendorWithPrice(t, {
      per_call: '1.00',
      effective_from: monthStart - 40 * 86_400,
    });
    const program = await subsidyProgram(
      t,
      [vendor.id],
      { percent: '50', monthly_cap_per_account: '0.80' },
      { starts_at: monthStart - 40 * 86_400 },
    );
    await fund(t, program.id, '100');
    const { payer, mandate } = await payerFor(t, vendor, '100.00');
    const at = (timestamp: number) => usageEvent(mandate.id, product.id, { quantities: { calls: 1 }, timestamp });

    // Last second of the previous month: 0.50 + 0.30 (the cap's rest) + 0.
    for (const _ of [1, 2, 3]) await sendUsage(t, vendor, [at(monthStart - 1)]);
    // First second of this month: a fresh cap.
    await sendUsage(t, vendor, [at(monthStart)]);
    await sendUsage(t, vendor, [at(Math.min(monthStart + 60, nowSeconds()))]);

    const benefits = await t.http.get('/v1/incentives/benefits?limit=10').set(auth(payer)).expect(200);
    const amounts = (benefits.body.data as Body[]).map((b) => [b.amount, b.requested]).reverse();
    expect(amounts).toEqual([
      ['0.50', '0.50'],
      ['0.30', '0.50'],
      ['0.50', '0.50'],
      ['0.30', '0.50'],
    ]);
    expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(100n * NANOS - 5n * NANOS + 1_600_000_000n);
  });

  it('counts the cap by the usage month exactly at the boundary, on a controlled clock', async () => {
    const incentives = t.app.get(IncentivesService);
    const transactions = t.app.get(TransactionRunner);
    const program = await subsidyProgram(
      t,
      ['acct_vendor'],
      { percent: '100', monthly_cap_per_account: '1.00' },
      { starts_at: Date.UTC(2025, 0, 1) / 1000 },
    );
    await fund(t, program.id, '100');
    const payer = await signUp(t, { capabilities: ['pay'] });
    const charge = (id: string, iso: string) => ({
      sourceId: id,
      payerAccountId: payer.id,
      vendorAccountId: 'acct_vendor',
      productId: 'prod_any',
      currency: 'usd',
      cost: 700_000_000n,
      occurredAt: new Date(iso),
    });
    const wallet = { owner: payer.id, purpose: 'wallet' as const, currency: 'usd' };
    const grant = (charges: ReturnType<typeof charge>[]) =>
      transactions.run((manager) => incentives.applyTokenSubsidies(manager, charges, () => wallet));

    const january = await grant([
      charge('ue_jan_1', '2025-01-31T23:59:58.000Z'),
      charge('ue_jan_2', '2025-01-31T23:59:59.999Z'),
    ]);
    expect([...january.values()].map((g) => g.amount)).toEqual([700_000_000n, 300_000_000n]);
    const february = await grant([charge('ue_feb_1', '2025-02-01T00:00:00.000Z')]);
    expect(february.get('ue_feb_1')?.amount).toBe(700_000_000n);
    // A retried batch pays nothing twice.
    const retried = await grant([charge('ue_jan_2', '2025-01-31T23:59:59.999Z')]);
    expect(retried.get('ue_jan_2')?.amount).toBe(300_000_000n);
    expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(1_700_000_000n);
  });

  it('gives the budget back its share when a subsidized charge is refunded, in proportion', async () => {
    const { vendor, product } = await vendorWithPrice(t, { per_call: '1.00' });
    const program = await subsidyProgram(t, [vendor.id], { percent: '30', monthly_cap_per_account: '0.30' });
    await fund(t, program.id, '10');
    const { payer, mandate } = await payerFor(t, vendor, '10.00');
    const [result] = await sendUsage(t, vendor, [usageEvent(mandate.id, product.id, { quantities: { calls: 1 } })]);
    expect(await budgetOf(t, program.id)).toBe(9_700_000_000n);

    const ledger = t.app.get(LedgerService);
    const incentives = t.app.get(IncentivesService);
    const wallet = { owner: payer.id, purpose: 'wallet' as const, currency: 'usd' };
    // The usage refund: the vendor gives back part of the price to the wallet, the wallet the subsidy's share.
    const refund = (id: string, amount: bigint) =>
      t.app.get(TransactionRunner).run(async (manager) => {
        await ledger.post(
          {
            reference: `test_refund:${id}`,
            type: 'refund',
            legs: [{ debit: { owner: vendor.id, purpose: 'pending', currency: 'usd' }, credit: wallet, amount }],
          },
          manager,
        );
        return incentives.returnBenefits(manager, {
          sourceType: 'usage_event',
          sourceId: result.usage_event!,
          refundedAmount: amount,
          reasonType: 'refund',
          reasonId: id,
          returnFrom: (benefit) => (benefit.type === 'token_subsidy' ? wallet : null),
        });
      });

    expect(await refund('re_1', 250_000_000n)).toBe(75_000_000n);
    expect(await refund('re_1', 250_000_000n)).toBe(0n);
    expect(await budgetOf(t, program.id)).toBe(9_775_000_000n);
    expect(await refund('re_2', 750_000_000n)).toBe(225_000_000n);
    expect(await budgetOf(t, program.id)).toBe(10n * NANOS);

    const [benefit] = (await t.http.get('/v1/incentives/benefits').set(auth(payer)).expect(200)).body.data;
    expect(benefit).toMatchObject({ amount: '0.30', returned: '0.30' });
    // The refund gave the monthly cap back: the next charge is subsidized again.
    await sendUsage(t, vendor, [usageEvent(mandate.id, product.id, { quantities: { calls: 1 } })]);
    expect(await budgetOf(t, program.id)).toBe(9_700_000_000n);
    const view = await t.http.get(`/v1/admin/incentive_programs/${program.id}`).set(adminAuth).expect(200);
    expect(view.body.budget).toMatchObject({ funded: '10.00', spent: '0.30', remaining: '9.70' });
  });
});
