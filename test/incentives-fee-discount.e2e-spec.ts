import { Clock } from '../src/common/clock/clock.js';
import { adminAuth, auth, signUp } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { charge, fundedPayer, grantMandate, ledgerBalance } from './support/payment-factories.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { createPrice, createProduct, payerFor, sendUsage, usageEvent } from './support/usage-factories.js';

type Body = Record<string, unknown>;

/**
 * Receivers of these tests live in Iceland and every program is limited to it: other test files charge payments
 * against the same database at the same time and must never meet these programs.
 */
const COUNTRY = 'IS';

async function discountProgram(t: TestApp, extra: Body = {}): Promise<Body> {
  const response = await t.http
    .post('/v1/admin/incentive_programs')
    .set(adminAuth)
    .send({
      name: 'Launch pricing',
      type: 'fee_discount',
      currency: 'usd',
      status: 'active',
      fee_discount: { fee_rate_bps: 100, duration_days: 30 },
      eligibility: { countries: [COUNTRY] },
      ...extra,
    });
  expect(response.status).toBe(201);
  return response.body;
}

async function fund(t: TestApp, programId: unknown, amount: string): Promise<void> {
  await t.http.post(`/v1/admin/incentive_programs/${programId}/fund`).set(adminAuth).send({ amount }).expect(200);
}

/** A verified receiver in COUNTRY, and a payer with a mandate for it. */
async function receiverWithPayer(t: TestApp, terms: Body = {}) {
  const receiver = await signUp(t, { capabilities: ['receive'], country: COUNTRY });
  await t.http.post('/v1/account/onboarding_links').set(auth(receiver)).expect(201);
  const payer = await fundedPayer(t, '1000.00');
  const mandate = await grantMandate(t, payer, { payee: receiver.id, ...terms });
  return { receiver, payer, mandate };
}

async function enroll(t: TestApp, receiver: TestAccount, programId: unknown): Promise<Body> {
  const applied = await t.http.post(`/v1/incentive_programs/${programId}/enrollments`).set(auth(receiver)).send({});
  expect(applied.status).toBe(201);
  if (applied.body.status === 'approved') return applied.body;
  const approved = await t.http
    .post(`/v1/admin/incentive_programs/${programId}/enrollments/${applied.body.id}/approve`)
    .set(adminAuth)
    .expect(200);
  return approved.body;
}

const pendingOf = (t: TestApp, account: TestAccount) => ledgerBalance(t, account.id, 'pending').then((b) => b.posted);
const budgetOf = (t: TestApp, programId: unknown) =>
  ledgerBalance(t, String(programId), 'budget').then((b) => b.posted);

describe('fee discounts, booked as rebates from the program budget', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('charges the normal fee and rebates the difference to the discounted rate from the budget', async () => {
    const program = await discountProgram(t);
    await fund(t, program.id, '50');
    const { receiver, mandate } = await receiverWithPayer(t);
    await enroll(t, receiver, program.id);

    const payment = await charge(t, receiver, mandate.id, '100.00');
    expect(payment).toMatchObject({ status: 'succeeded', fee: '2.50' });
    expect(await pendingOf(t, receiver)).toBe(99_000_000_000n);
    expect(await budgetOf(t, program.id)).toBe(48_500_000_000n);

    const benefits = await t.http.get('/v1/incentives/benefits').set(auth(receiver)).expect(200);
    expect(benefits.body.data).toEqual([
      expect.objectContaining({
        type: 'fee_rebate',
        program: program.id,
        amount: '1.50',
        requested: '1.50',
        source: { type: 'payment', id: payment.id },
      }),
    ]);
  });

  it('cuts the rebate to what remains, then charges the normal fee in full', async () => {
    const program = await discountProgram(t);
    await fund(t, program.id, '2.00');
    const { receiver, mandate } = await receiverWithPayer(t);
    await enroll(t, receiver, program.id);

    for (const _ of [1, 2, 3]) await charge(t, receiver, mandate.id, '100.00');
    // Rebates 1.50, 0.50 (what remained), 0: fees 1.00, 2.00 and 2.50.
    expect(await pendingOf(t, receiver)).toBe(300_000_000_000n - 5_500_000_000n);
    expect(await budgetOf(t, program.id)).toBe(0n);
    const amounts = (await t.http.get('/v1/incentives/benefits').set(auth(receiver)).expect(200)).body.data.map(
      (b: Body) => [b.amount, b.requested],
    );
    expect(amounts).toEqual([
      ['0.50', '1.50'],
      ['1.50', '1.50'],
    ]);
  });

  it('leaves receivers that are not enrolled, or whose application waits, at the normal fee', async () => {
    const program = await discountProgram(t);
    await fund(t, program.id, '50');
    const { receiver, mandate } = await receiverWithPayer(t);
    await t.http.post(`/v1/incentive_programs/${program.id}/enrollments`).set(auth(receiver)).send({}).expect(201);
    await charge(t, receiver, mandate.id, '100.00');
    expect(await pendingOf(t, receiver)).toBe(97_500_000_000n);
    expect(await budgetOf(t, program.id)).toBe(50_000_000_000n);
  });

  it('rebates a payment held for confirmation once the payer confirms it', async () => {
    const program = await discountProgram(t);
    await fund(t, program.id, '50');
    const { receiver, payer, mandate } = await receiverWithPayer(t, { confirmation_threshold: '10.00' });
    await enroll(t, receiver, program.id);
    const payment = await charge(t, receiver, mandate.id, '20.00');
    expect(payment.status).toBe('requires_confirmation');
    expect(await budgetOf(t, program.id)).toBe(50_000_000_000n);
    await t.http.post(`/v1/payments/${payment.id}/confirm`).set(auth(payer)).expect(200);
    expect(await budgetOf(t, program.id)).toBe(49_700_000_000n);
    expect(await pendingOf(t, receiver)).toBe(19_800_000_000n);
  });

  it('takes the rebate back from the receiver in proportion when the payment is refunded', async () => {
    const program = await discountProgram(t);
    await fund(t, program.id, '50');
    const { receiver, mandate } = await receiverWithPayer(t);
    await enroll(t, receiver, program.id);
    const payment = await charge(t, receiver, mandate.id, '100.00');

    await t.http.post('/v1/refunds').set(auth(receiver)).send({ payment: payment.id, amount: '40.00' }).expect(201);
    expect(await budgetOf(t, program.id)).toBe(49_100_000_000n);
    await t.http.post('/v1/refunds').set(auth(receiver)).send({ payment: payment.id }).expect(201);
    expect(await budgetOf(t, program.id)).toBe(50_000_000_000n);
    // Fully refunded: the receiver keeps nothing of the payment, its fee or its rebate.
    expect(await pendingOf(t, receiver)).toBe(0n);
    const [benefit] = (await t.http.get('/v1/incentives/benefits').set(auth(receiver)).expect(200)).body.data;
    expect(benefit).toMatchObject({ amount: '1.50', returned: '1.50' });
    const view = await t.http.get(`/v1/admin/incentive_programs/${program.id}`).set(adminAuth).expect(200);
    expect(view.body.budget).toMatchObject({ spent: '0.00', remaining: '50.00' });
  });

  it('rebates the fee of Token Pay usage charges too, per usage event', async () => {
    const program = await discountProgram(t);
    await fund(t, program.id, '50');
    const { receiver: vendor } = await receiverWithPayer(t);
    const product = await createProduct(t, vendor);
    await createPrice(t, vendor, product.id, { per_call: '1.00' });
    const { mandate } = await payerFor(t, vendor, '10.00');
    await enroll(t, vendor, program.id);

    const results = await sendUsage(t, vendor, [
      usageEvent(mandate.id, product.id, { quantities: { calls: 1 } }),
      usageEvent(mandate.id, product.id, { quantities: { calls: 2 } }),
    ]);
    expect(results.map((r) => [r.status, r.fee])).toEqual([
      ['accepted', '0.025'],
      ['accepted', '0.05'],
    ]);
    // Fees 0.025 + 0.05 at 2.5 %, rebated down to 1 %: 0.015 + 0.03 back from the budget.
    expect(await pendingOf(t, vendor)).toBe(3_000_000_000n - 75_000_000n + 45_000_000n);
    expect(await budgetOf(t, program.id)).toBe(50_000_000_000n - 45_000_000n);
    const sources = (await t.http.get('/v1/incentives/benefits').set(auth(vendor)).expect(200)).body.data.map(
      (b: Body) => (b.source as Body).id,
    );
    expect(sources.sort()).toEqual(results.map((r) => r.usage_event).sort());
  });

  it('enrolls eligible receivers automatically and stops the discount duration_days after enrollment', async () => {
    const program = await discountProgram(t, {
      auto_enroll: true,
      fee_discount: { fee_rate_bps: 0, duration_days: 2 },
    });
    await fund(t, program.id, '50');
    const { receiver, mandate } = await receiverWithPayer(t);
    await charge(t, receiver, mandate.id, '10.00');
    expect(await pendingOf(t, receiver)).toBe(10_000_000_000n);
    const [enrollment] = (await t.http.get('/v1/incentive_enrollments').set(auth(receiver)).expect(200)).body.data;
    expect(enrollment).toMatchObject({ program: program.id, status: 'approved', method: 'automatic' });
    expect(enrollment.benefit_ends_at - enrollment.approved_at).toBe(2 * 86_400);

    t.app.get(Clock).advanceDays(3);
    await charge(t, receiver, mandate.id, '10.00');
    expect(await pendingOf(t, receiver)).toBe(19_750_000_000n);
  });
});
