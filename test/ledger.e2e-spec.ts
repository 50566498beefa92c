import { DataSource } from 'typeorm';
import { LedgerService } from '../src/ledger/ledger.service.js';
import { adminAuth, auth, signUp, TestAccount } from './support/factories.js';
import { fundWallet, ledgerKey, ledgerReference } from './support/ledger-factories.js';
import { startTestApp, TestApp } from './support/test-app.js';

const USD = 1_000_000_000n;

describe('ledger over HTTP', () => {
  let t: TestApp;
  let ledger: LedgerService;
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestApp();
    ledger = t.app.get(LedgerService);
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  /** A payer pays a receiver `gross`, of which `fee` goes to the platform. */
  async function pay(payer: TestAccount, receiver: TestAccount, gross: bigint, fee: bigint, sourceId: string) {
    return ledger.post({
      reference: ledgerReference('payment'),
      type: 'payment',
      sourceType: 'payment',
      sourceId,
      legs: [
        { debit: ledgerKey(payer.id, 'wallet'), credit: ledgerKey(receiver.id, 'pending'), amount: gross },
        { debit: ledgerKey(receiver.id, 'pending'), credit: ledgerKey('platform', 'fees'), amount: fee },
      ],
    });
  }

  it("reports the caller's balances by currency and purpose", async () => {
    const payer = await signUp(t);
    expect((await t.http.get('/v1/balance').set(auth(payer)).expect(200)).body).toEqual({
      object: 'balance',
      balances: [],
    });
    await fundWallet(ledger, ledgerKey(payer.id, 'wallet'), 20n * USD);
    await fundWallet(ledger, ledgerKey(payer.id, 'wallet', 'jpy'), 500n * USD);
    await ledger.hold({
      reference: ledgerReference(),
      type: 'usage_authorization',
      legs: [{ debit: ledgerKey(payer.id, 'wallet'), credit: ledgerKey('platform', 'compensation'), amount: 5n * USD }],
    });
    const body = (await t.http.get('/v1/balance').set(auth(payer)).expect(200)).body;
    expect(body.balances).toEqual([
      { currency: 'jpy', purpose: 'wallet', available: '500', pending: '0', posted: '500' },
      { currency: 'usd', purpose: 'wallet', available: '15.00', pending: '5.00', posted: '20.00' },
    ]);
  });

  it('lists balance transactions with fee, net, source and resulting balance, page by page', async () => {
    const payer = await signUp(t);
    const receiver = await signUp(t);
    await fundWallet(ledger, ledgerKey(payer.id, 'wallet'), 100n * USD);
    await pay(payer, receiver, 10n * USD, 30n * 10_000_000n, 'pay_a');
    await pay(payer, receiver, 20n * USD, 60n * 10_000_000n, 'pay_b');
    const payment = await pay(payer, receiver, 5n * USD, 15n * 10_000_000n, 'pay_c');
    await ledger.reverse(payment.id, { reference: ledgerReference('refund'), type: 'refund' });

    const first = await t.http.get('/v1/balance_transactions?limit=2').set(auth(receiver)).expect(200);
    expect(first.body.has_more).toBe(true);
    expect(first.body.data).toEqual([
      expect.objectContaining({
        object: 'balance_transaction',
        type: 'refund',
        amount: '-5.00',
        fee: '-0.15',
        net: '-4.85',
        purpose: 'pending',
        currency: 'usd',
        resulting_balance: '29.10',
        source: { id: 'pay_c', object: 'payment' },
      }),
      expect.objectContaining({
        type: 'payment',
        amount: '5.00',
        fee: '0.15',
        net: '4.85',
        resulting_balance: '33.95',
      }),
    ]);
    const second = await t.http
      .get(`/v1/balance_transactions?limit=2&starting_after=${first.body.data[1].id}`)
      .set(auth(receiver))
      .expect(200);
    expect(second.body.has_more).toBe(false);
    expect(second.body.data.map((l: { source: { id: string } }) => l.source.id)).toEqual(['pay_b', 'pay_a']);
    expect(second.body.data[1]).toMatchObject({ amount: '10.00', fee: '0.30', net: '9.70', resulting_balance: '9.70' });

    const refunds = await t.http.get('/v1/balance_transactions?type=refund').set(auth(receiver)).expect(200);
    expect(refunds.body.data).toHaveLength(1);
    const payerLines = await t.http.get('/v1/balance_transactions').set(auth(payer)).expect(200);
    expect(payerLines.body.data.map((l: { amount: string }) => l.amount)).toEqual([
      '5.00',
      '-5.00',
      '-20.00',
      '-10.00',
      '100.00',
    ]);
    const future = Math.floor(Date.now() / 1000) + 60;
    const none = await t.http.get(`/v1/balance_transactions?created_gte=${future}`).set(auth(payer)).expect(200);
    expect(none.body.data).toEqual([]);
    const before = await t.http.get(`/v1/balance_transactions?created_lt=${future}`).set(auth(payer)).expect(200);
    expect(before.body.data).toHaveLength(5);

    await t.http.get(`/v1/balance_transactions?starting_after=${first.body.data[0].id}`).set(auth(payer)).expect(404);
    await t.http.get('/v1/balance_transactions?starting_after=btxn_nonsense').set(auth(payer)).expect(404);
  });

  it('shows a balanced trial balance whose balances match their entries', async () => {
    const payer = await signUp(t);
    await fundWallet(ledger, ledgerKey(payer.id, 'wallet'), 3n * USD);
    const response = await t.http.get('/v1/admin/ledger/trial_balance?verify_entries=true').set(adminAuth).expect(200);
    expect(response.body).toMatchObject({ object: 'trial_balance', balanced: true, mismatched_balances: [] });
    const usd = response.body.currencies.find((c: { currency: string }) => c.currency === 'usd');
    expect(usd.balanced).toBe(true);
    expect(usd.debits_posted).toBe(usd.credits_posted);
    const clearing = usd.purposes.find((p: { purpose: string }) => p.purpose === 'provider_clearing');
    expect(BigInt(clearing.balance.replace('.', ''))).toBeGreaterThan(0n);
    await t.http.get('/v1/admin/ledger/trial_balance').set(auth(payer)).expect(403);
  });

  it('lists ledger accounts, their entries and a transaction in full for the operator', async () => {
    const payer = await signUp(t);
    const receiver = await signUp(t);
    await fundWallet(ledger, ledgerKey(payer.id, 'wallet'), 10n * USD);
    const payment = await pay(payer, receiver, 4n * USD, 12n * 10_000_000n, 'pay_d');

    const accounts = await t.http.get(`/v1/admin/ledger/accounts?owner=${receiver.id}`).set(adminAuth).expect(200);
    expect(accounts.body.data).toEqual([
      expect.objectContaining({
        object: 'ledger_account',
        owner: receiver.id,
        purpose: 'pending',
        floor: null,
        normal_balance: 'credit',
        balance: expect.objectContaining({ posted: '3.88', available: '3.88' }),
      }),
    ]);
    const wallet = (await t.http.get(`/v1/admin/ledger/accounts?owner=${payer.id}&purpose=wallet`).set(adminAuth)).body
      .data[0];
    expect(wallet.floor).toBe('0.00');

    const entries = await t.http
      .get(`/v1/admin/ledger/accounts/${wallet.id}/entries?limit=1`)
      .set(adminAuth)
      .expect(200);
    expect(entries.body).toMatchObject({
      has_more: true,
      data: [{ direction: 'debit', effect: 'post', amount: '4.00', resulting_balance: { posted: '6.00' } }],
    });
    const older = await t.http
      .get(`/v1/admin/ledger/accounts/${wallet.id}/entries?starting_after=${entries.body.data[0].id}`)
      .set(adminAuth)
      .expect(200);
    expect(older.body).toMatchObject({ has_more: false, data: [{ direction: 'credit', amount: '10.00' }] });

    const refund = await ledger.reverse(payment.id, { reference: ledgerReference(), amounts: [USD, 0n] });
    const detail = await t.http.get(`/v1/admin/ledger/transactions/${payment.id}`).set(adminAuth).expect(200);
    expect(detail.body).toMatchObject({
      object: 'ledger_transaction',
      kind: 'transfer',
      status: 'posted',
      type: 'payment',
      source_type: 'payment',
      source_id: 'pay_d',
      children: [refund.id],
      legs: [
        { debit_account: wallet.id, amount: '4.00', currency: 'usd' },
        { credit_account: expect.stringMatching(/^lacc_/), amount: '0.12' },
      ],
    });
    expect(detail.body.entries).toHaveLength(4);
    await t.http.get('/v1/admin/ledger/transactions/ltx_missing').set(adminAuth).expect(404);
  });

  it("posts an operator adjustment with its reason and the operator's request id, once", async () => {
    const receiver = await signUp(t);
    const body = {
      currency: 'usd',
      reason: 'Goodwill credit for an outage',
      reference: `ticket-${receiver.id}`,
      legs: [
        {
          debit: { owner: 'platform', purpose: 'compensation' },
          credit: { owner: receiver.id, purpose: 'available' },
          amount: '2.50',
        },
      ],
    };
    const created = await t.http
      .post('/v1/admin/ledger/adjustments')
      .set(adminAuth)
      .set('X-Request-Id', 'req_adjustment_test_1')
      .send(body)
      .expect(201);
    expect(created.body).toMatchObject({
      type: 'adjustment',
      description: 'Goodwill credit for an outage',
      request_id: 'req_adjustment_test_1',
      status: 'posted',
    });
    const again = await t.http.post('/v1/admin/ledger/adjustments').set(adminAuth).send(body).expect(201);
    expect(again.body.id).toBe(created.body.id);
    const balance = await t.http.get('/v1/balance').set(auth(receiver)).expect(200);
    expect(balance.body.balances).toEqual([
      { currency: 'usd', purpose: 'available', available: '2.50', pending: '0.00', posted: '2.50' },
    ]);
    const events = await db.query(`SELECT type, data FROM events WHERE account_id = $1 AND type = 'balance.adjusted'`, [
      receiver.id,
    ]);
    expect(events).toHaveLength(1);
    expect(events[0].data.object).toMatchObject({
      reason: body.reason,
      changes: [{ purpose: 'available', amount: '2.50' }],
    });

    const overdraft = await t.http
      .post('/v1/admin/ledger/adjustments')
      .set(adminAuth)
      .send({
        ...body,
        reference: undefined,
        legs: [{ ...body.legs[0], debit: body.legs[0].credit, credit: body.legs[0].debit, amount: '3.00' }],
      })
      .expect(402);
    expect(overdraft.body.error.code).toBe('insufficient_funds');
    const { reason: _reason, ...withoutReason } = body;
    const missing = await t.http.post('/v1/admin/ledger/adjustments').set(adminAuth).send(withoutReason).expect(400);
    expect(missing.body.error.param).toBe('reason');
    const badAmount = await t.http
      .post('/v1/admin/ledger/adjustments')
      .set(adminAuth)
      .send({ ...body, reference: 'other', legs: [{ ...body.legs[0], amount: '1.0000000001' }] })
      .expect(400);
    expect(badAmount.body.error.param).toBe('legs[0].amount');
    await t.http.post('/v1/admin/ledger/adjustments').set(auth(receiver)).send(body).expect(403);
  });
});
