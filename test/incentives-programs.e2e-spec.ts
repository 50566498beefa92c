import { Clock } from '../src/common/clock/clock.js';
import { LedgerService } from '../src/ledger/ledger.service.js';
import { adminAuth, auth, signUp } from './support/factories.js';
import type { TestAccount } from './support/factories.js';
import { startTestApp, TestApp } from './support/test-app.js';

type Body = Record<string, unknown>;

async function createProgram(t: TestApp, body: Body): Promise<Body> {
  const response = await t.http
    .post('/v1/admin/incentive_programs')
    .set(adminAuth)
    .send({ name: 'Program', currency: 'usd', status: 'active', ...body });
  expect(response.status).toBe(201);
  return response.body;
}

async function fund(t: TestApp, programId: unknown, amount: string): Promise<Body> {
  const response = await t.http.post(`/v1/admin/incentive_programs/${programId}/fund`).set(adminAuth).send({ amount });
  expect(response.status).toBe(200);
  return response.body;
}

function apply(t: TestApp, account: TestAccount, programId: unknown, body: Body = {}) {
  return t.http.post(`/v1/incentive_programs/${programId}/enrollments`).set(auth(account)).send(body);
}

const signupCredit = (amount = '5.00') => ({ type: 'signup_credit', signup_credit: { credit_amount: amount } });

describe('incentive programs, budgets and enrollment', () => {
  let t: TestApp;
  let ledger: LedgerService;
  const walletOf = (account: TestAccount) =>
    ledger.balance({ owner: account.id, purpose: 'wallet', currency: 'usd' }).then((b) => b.posted);
  const budgetOf = (programId: unknown) =>
    ledger.balance({ owner: String(programId), purpose: 'budget', currency: 'usd' }).then((b) => b.posted);

  beforeAll(async () => {
    t = await startTestApp();
    ledger = t.app.get(LedgerService);
  });
  afterAll(() => t.close());

  describe('programs (operator)', () => {
    it('creates a program of each type with its terms, as a draft by default', async () => {
      const subsidy = await createProgram(t, {
        status: undefined,
        type: 'token_subsidy',
        token_subsidy: { percent: '12.5', monthly_cap_per_account: '10', eligible_products: ['prod_x'] },
        eligibility: { capabilities: ['pay'], countries: ['US'], max_account_age_days: 30 },
      });
      expect(subsidy).toMatchObject({
        object: 'incentive_program',
        status: 'draft',
        type: 'token_subsidy',
        token_subsidy: {
          percent: '12.5',
          monthly_cap_per_account: '10.00',
          eligible_products: ['prod_x'],
          eligible_vendors: [],
        },
        fee_discount: null,
        signup_credit: null,
        eligibility: { capabilities: ['pay'], countries: ['US'], max_account_age_days: 30 },
        budget: {
          funded: '0.00',
          spent: '0.00',
          remaining: '0.00',
          ledger_account: { owner: subsidy.id, purpose: 'budget', currency: 'usd' },
        },
      });
      const discount = await createProgram(t, {
        type: 'fee_discount',
        fee_discount: { fee_rate_bps: 100, duration_days: 90 },
      });
      expect(discount.fee_discount).toEqual({ fee_rate_bps: 100, duration_days: 90 });
      const credit = await createProgram(t, signupCredit('2.5'));
      expect(credit.signup_credit).toEqual({ credit_amount: '2.50' });

      const listed = await t.http.get('/v1/admin/incentive_programs?type=fee_discount').set(adminAuth).expect(200);
      expect(listed.body.data.map((p: Body) => p.id)).toContain(discount.id);
      expect(listed.body.data.every((p: Body) => p.type === 'fee_discount')).toBe(true);
      const fetched = await t.http.get(`/v1/admin/incentive_programs/${subsidy.id}`).set(adminAuth).expect(200);
      expect(fetched.body).toEqual(subsidy);
    });

    it('refuses terms of another type, missing terms and malformed percentages', async () => {
      const base = { name: 'Bad', currency: 'usd' };
      const wrongTerms = await t.http
        .post('/v1/admin/incentive_programs')
        .set(adminAuth)
        .send({ ...base, type: 'fee_discount', signup_credit: { credit_amount: '1' } })
        .expect(400);
      expect(wrongTerms.body.error).toMatchObject({ code: 'parameter_invalid', param: 'signup_credit' });
      const missing = await t.http
        .post('/v1/admin/incentive_programs')
        .set(adminAuth)
        .send({ ...base, type: 'token_subsidy' })
        .expect(400);
      expect(missing.body.error).toMatchObject({ code: 'parameter_missing', param: 'token_subsidy' });
      const percent = await t.http
        .post('/v1/admin/incentive_programs')
        .set(adminAuth)
        .send({ ...base, type: 'token_subsidy', token_subsidy: { percent: '100.5' } })
        .expect(400);
      expect(percent.body.error.param).toBe('token_subsidy.percent');
      const credit = await t.http
        .post('/v1/admin/incentive_programs')
        .set(adminAuth)
        .send({ ...base, ...signupCredit('1.0000000001') })
        .expect(400);
      expect(credit.body.error.param).toBe('signup_credit.credit_amount');
    });

    it('keeps the operator routes to the operator key', async () => {
      const developer = await signUp(t);
      const response = await t.http.get('/v1/admin/incentive_programs').set(auth(developer)).expect(403);
      expect(response.body.error.code).toBe('admin_key_required');
    });

    it('moves a program through its statuses and refuses the others', async () => {
      const program = await createProgram(t, { ...signupCredit(), status: 'draft' });
      const path = `/v1/admin/incentive_programs/${program.id}`;
      await t.http.patch(path).set(adminAuth).send({ status: 'paused' }).expect(409);
      await t.http.patch(path).set(adminAuth).send({ status: 'active' }).expect(200);
      const paused = await t.http
        .patch(path)
        .set(adminAuth)
        .send({ status: 'paused', signup_credit: { credit_amount: '7' } })
        .expect(200);
      expect(paused.body).toMatchObject({ status: 'paused', signup_credit: { credit_amount: '7.00' } });
      await t.http.patch(path).set(adminAuth).send({ status: 'ended' }).expect(200);
      const after = await t.http.patch(path).set(adminAuth).send({ status: 'active' }).expect(409);
      expect(after.body.error.code).toBe('program_ended');
      await t.http.patch(path).set(adminAuth).send({ name: 'Renamed after the end' }).expect(200);
    });
  });

  describe('budgets', () => {
    it('funds the budget from platform money and withdraws the unspent rest, as the ledger shows', async () => {
      const program = await createProgram(t, signupCredit());
      const funded = await fund(t, program.id, '100.00');
      expect(funded.budget).toMatchObject({ funded: '100.00', remaining: '100.00', withdrawn: '0.00' });
      await fund(t, program.id, '0.000000001');
      expect(await budgetOf(program.id)).toBe(100_000_000_001n);

      const tooMuch = await t.http
        .post(`/v1/admin/incentive_programs/${program.id}/withdraw`)
        .set(adminAuth)
        .send({ amount: '100.000000002' })
        .expect(400);
      expect(tooMuch.body.error).toMatchObject({ code: 'amount_exceeds_remaining', param: 'amount' });

      const partial = await t.http
        .post(`/v1/admin/incentive_programs/${program.id}/withdraw`)
        .set(adminAuth)
        .send({ amount: '40' })
        .expect(200);
      expect(partial.body.budget).toMatchObject({ withdrawn: '40.00', remaining: '60.000000001' });
      const rest = await t.http
        .post(`/v1/admin/incentive_programs/${program.id}/withdraw`)
        .set(adminAuth)
        .send({})
        .expect(200);
      expect(rest.body.budget).toMatchObject({ withdrawn: '100.000000001', remaining: '0.00' });
      expect(await budgetOf(program.id)).toBe(0n);
      const empty = await t.http
        .post(`/v1/admin/incentive_programs/${program.id}/withdraw`)
        .set(adminAuth)
        .send({})
        .expect(400);
      expect(empty.body.error.code).toBe('budget_empty');
    });

    it('refuses malformed and zero amounts with the amount param', async () => {
      const program = await createProgram(t, signupCredit());
      for (const amount of ['0', '-1', '1e3', '12.3456789012']) {
        const response = await t.http
          .post(`/v1/admin/incentive_programs/${program.id}/fund`)
          .set(adminAuth)
          .send({ amount })
          .expect(400);
        expect(response.body.error.param).toBe('amount');
      }
    });
  });

  describe('eligibility and enrollment', () => {
    it('shows developers the open programs they qualify for, with their own enrollment', async () => {
      const us = await createProgram(t, { ...signupCredit(), eligibility: { countries: ['US'] } });
      const jp = await createProgram(t, { ...signupCredit(), eligibility: { countries: ['JP'] } });
      const draft = await createProgram(t, { ...signupCredit(), status: 'draft' });
      const receiversOnly = await createProgram(t, {
        type: 'fee_discount',
        fee_discount: { fee_rate_bps: 0, duration_days: 1 },
      });
      const payer = await signUp(t, { capabilities: ['pay'], country: 'US' });
      const listed = await t.http.get('/v1/incentive_programs?limit=100').set(auth(payer)).expect(200);
      const ids = listed.body.data.map((p: Body) => p.id);
      expect(ids).toContain(us.id);
      expect(ids).not.toContain(jp.id);
      expect(ids).not.toContain(draft.id);
      expect(ids).not.toContain(receiversOnly.id);
      expect(listed.body.data.find((p: Body) => p.id === us.id)).not.toHaveProperty('budget');
      await t.http.get(`/v1/incentive_programs/${draft.id}`).set(auth(payer)).expect(404);
      await apply(t, payer, draft.id).expect(404);
    });

    it('refuses accounts that fail a rule, naming the rule', async () => {
      const program = await createProgram(t, {
        ...signupCredit(),
        eligibility: { capabilities: ['receive'], countries: ['US'] },
      });
      const payerOnly = await signUp(t, { capabilities: ['pay'] });
      const refused = await apply(t, payerOnly, program.id).expect(400);
      expect(refused.body.error.code).toBe('not_eligible');
      expect(refused.body.error.message).toContain('capability');
      const foreign = await signUp(t, { capabilities: ['pay', 'receive'], country: 'FR' });
      const country = await apply(t, foreign, program.id).expect(400);
      expect(country.body.error.message).toContain('country');
    });

    it('enrolls by application: pending until the operator approves or rejects, one enrollment per account', async () => {
      const program = await createProgram(t, {
        type: 'fee_discount',
        fee_discount: { fee_rate_bps: 50, duration_days: 30 },
      });
      const [first, second] = [await signUp(t), await signUp(t)];
      const applied = await apply(t, first, program.id, { note: 'We process a lot.' }).expect(201);
      expect(applied.body).toMatchObject({
        object: 'incentive_enrollment',
        status: 'pending',
        method: 'application',
        note: 'We process a lot.',
        account: first.id,
        program: program.id,
        approved_at: null,
      });
      const again = await apply(t, first, program.id).expect(409);
      expect(again.body.error.code).toBe('already_enrolled');
      const other = await apply(t, second, program.id).expect(201);

      const pending = await t.http
        .get(`/v1/admin/incentive_programs/${program.id}/enrollments?status=pending`)
        .set(adminAuth)
        .expect(200);
      expect(pending.body.data.map((e: Body) => e.id).sort()).toEqual([applied.body.id, other.body.id].sort());

      const base = `/v1/admin/incentive_programs/${program.id}/enrollments`;
      const approved = await t.http.post(`${base}/${applied.body.id}/approve`).set(adminAuth).expect(200);
      expect(approved.body.status).toBe('approved');
      expect(approved.body.benefit_ends_at - approved.body.approved_at).toBe(30 * 86400);
      const twice = await t.http.post(`${base}/${applied.body.id}/reject`).set(adminAuth).send({}).expect(409);
      expect(twice.body.error.code).toBe('enrollment_not_pending');
      const rejected = await t.http
        .post(`${base}/${other.body.id}/reject`)
        .set(adminAuth)
        .send({ reason: 'Not this quarter.' })
        .expect(200);
      expect(rejected.body).toMatchObject({ status: 'rejected', rejection_reason: 'Not this quarter.' });
      const reapply = await apply(t, second, program.id).expect(409);
      expect(reapply.body.error.code).toBe('already_enrolled');

      const mine = await t.http.get('/v1/incentive_enrollments').set(auth(first)).expect(200);
      expect(mine.body.data).toEqual([approved.body]);
      await t.http.get(`/v1/incentive_enrollments/${applied.body.id}`).set(auth(second)).expect(404);
      const seen = await t.http.get(`/v1/incentive_programs/${program.id}`).set(auth(first)).expect(200);
      expect(seen.body.enrollment).toEqual(approved.body);
    });

    it('counts the maximum account age on the platform clock', async () => {
      const program = await createProgram(t, { ...signupCredit(), eligibility: { max_account_age_days: 2 } });
      const young = await signUp(t);
      const old = await signUp(t);
      await fund(t, program.id, '10');
      await apply(t, young, program.id).expect(201);
      t.app.get(Clock).advanceDays(3);
      const refused = await apply(t, old, program.id).expect(400);
      expect(refused.body.error.message).toContain('older');
    });
  });

  describe('sign-up credit', () => {
    it('credits each enrolled payer once, cut to what remains of the budget, and never below zero', async () => {
      const program = await createProgram(t, { ...signupCredit('5.00'), auto_enroll: true });
      await fund(t, program.id, '7.50');
      const [a, b, c] = [await signUp(t), await signUp(t), await signUp(t)];
      const first = await apply(t, a, program.id).expect(201);
      expect(first.body).toMatchObject({ status: 'approved', method: 'automatic' });
      await apply(t, b, program.id).expect(201);
      await apply(t, c, program.id).expect(201);
      expect(await walletOf(a)).toBe(5_000_000_000n);
      const wallet = await t.http.get('/v1/wallet').set(auth(a)).expect(200);
      expect(wallet.body.balances).toEqual([{ currency: 'usd', available: '5.00', held: '0.00' }]);
      expect(await walletOf(b)).toBe(2_500_000_000n);
      expect(await walletOf(c)).toBe(0n);
      expect(await budgetOf(program.id)).toBe(0n);

      const benefits = await t.http.get('/v1/incentives/benefits').set(auth(b)).expect(200);
      expect(benefits.body.data).toHaveLength(1);
      expect(benefits.body.data[0]).toMatchObject({
        object: 'incentive_benefit',
        type: 'signup_credit',
        program: program.id,
        amount: '2.50',
        requested: '5.00',
        returned: '0.00',
        source: { type: 'incentive_enrollment', id: expect.stringMatching(/^enrl_/) },
      });
      const empty = await t.http.get('/v1/incentives/benefits').set(auth(c)).expect(200);
      expect(empty.body.data).toEqual([]);
      const fetched = await t.http.get(`/v1/admin/incentive_programs/${program.id}`).set(adminAuth).expect(200);
      expect(fetched.body.budget).toMatchObject({ funded: '7.50', spent: '7.50', remaining: '0.00' });
    });

    it('credits an applicant when the operator approves, and only then', async () => {
      const program = await createProgram(t, signupCredit('3'));
      await fund(t, program.id, '100');
      const payer = await signUp(t);
      const applied = await apply(t, payer, program.id).expect(201);
      expect(await walletOf(payer)).toBe(0n);
      await t.http
        .post(`/v1/admin/incentive_programs/${program.id}/enrollments/${applied.body.id}/approve`)
        .set(adminAuth)
        .expect(200);
      expect(await walletOf(payer)).toBe(3_000_000_000n);
      expect(await budgetOf(program.id)).toBe(97_000_000_000n);
    });
  });
});
