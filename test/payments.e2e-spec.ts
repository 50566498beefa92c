import { LedgerService } from '../src/ledger/ledger.service.js';
import { ExpirePaymentsService } from '../src/payments/use-cases/settle-payment/expire-payments.service.js';
import { adminAuth, auth, signUp, signUpVerifiedReceiver, type TestAccount } from './support/factories.js';
import {
  charge,
  fundedPayer,
  grantMandate,
  ledgerBalance,
  ledgerEntriesOf,
  payerReceiverMandate,
  walletOf,
} from './support/payment-factories.js';
import { startTestApp, TestApp } from './support/test-app.js';

describe('payments against mandates', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Windows differ per suite: each suite's expiry sweep must not reach another suite's payments.
    // Several lanes, so that concurrent payments to different receivers also commit side by side.
    t = await startTestApp({ CONFIRMATION_TTL_SECONDS: '600', PAYMENT_BATCH_LANES: '4' });
  });
  afterAll(() => t.close());

  async function mandateView(payer: TestAccount, id: string) {
    return (await t.http.get(`/v1/mandates/${id}`).set(auth(payer)).expect(200)).body;
  }

  it('succeeds: wallet → receiver pending for the net, fee → platform fees, in one ledger transaction', async () => {
    const { payer, receiver, mandate } = await payerReceiverMandate(t, { total_budget: '50.00' });
    const payment = await charge(t, receiver, mandate.id, '10.00', {
      description: 'Flight search',
      metadata: { call: 'c1' },
    });
    expect(payment).toMatchObject({
      object: 'payment',
      status: 'succeeded',
      amount: '10.00',
      fee: '0.25',
      net: '9.75',
      payer: payer.id,
      receiver: receiver.id,
      mandate: mandate.id,
      decline_code: null,
      metadata: { call: 'c1' },
    });
    expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(90_000_000_000n);
    expect((await ledgerBalance(t, receiver.id, 'pending')).posted).toBe(9_750_000_000n);
    const credits = (await ledgerEntriesOf(t, 'payments', payment.id)).filter((e) => e.direction === 'credit');
    expect(credits).toEqual([
      { direction: 'credit', owner: receiver.id, purpose: 'pending', amount: 9_750_000_000n },
      { direction: 'credit', owner: 'platform', purpose: 'fees', amount: 250_000_000n },
    ]);

    const asPayer = await t.http.get(`/v1/payments/${payment.id}`).set(auth(payer)).expect(200);
    expect(asPayer.body).toMatchObject({ id: payment.id, amount: '10.00', status: 'succeeded' });
    expect(asPayer.body).not.toHaveProperty('fee');
    expect(asPayer.body).not.toHaveProperty('metadata');
    const stranger = await signUp(t);
    await t.http.get(`/v1/payments/${payment.id}`).set(auth(stranger)).expect(404);
    const payerList = await t.http.get('/v1/payments').set(auth(payer)).expect(200);
    expect(payerList.body.data.map((p: { id: string }) => p.id)).toEqual([payment.id]);
    const receiverList = await t.http.get('/v1/payments?role=receiver').set(auth(receiver)).expect(200);
    expect(receiverList.body.data[0].net).toBe('9.75');

    expect(await mandateView(payer, mandate.id)).toMatchObject({
      spent_total: '10.00',
      spent_today: '10.00',
      remaining_budget: '40.00',
    });
  });

  it('accepts amounts down to the nano and applies the operator fee override', async () => {
    const { payer, receiver, mandate } = await payerReceiverMandate(t);
    await t.http
      .patch(`/v1/admin/accounts/${receiver.id}`)
      .set(adminAuth)
      .send({ fee_bps: 100, fee_fixed: '0.01' })
      .expect(200);
    const tiny = await charge(t, receiver, mandate.id, '0.000000150');
    expect(tiny).toMatchObject({ amount: '0.00000015', fee: '0.00000015', net: '0.00' });
    const normal = await charge(t, receiver, mandate.id, '2.00');
    expect(normal).toMatchObject({ fee: '0.03', net: '1.97' });
    expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(100_000_000_000n - 150n - 2_000_000_000n);
  });

  describe('declines, recorded and moving nothing', () => {
    async function expectDecline(
      setup: Awaited<ReturnType<typeof payerReceiverMandate>>,
      amount: string,
      code: string,
      extra: Record<string, unknown> = {},
    ) {
      const walletBefore = await ledgerBalance(t, setup.payer.id, 'wallet');
      const payment = await charge(t, setup.receiver, setup.mandate.id, amount, extra);
      expect(payment).toMatchObject({ status: 'failed', decline_code: code, amount });
      expect(payment.decline_message).toEqual(expect.any(String));
      expect(await ledgerBalance(t, setup.payer.id, 'wallet')).toEqual(walletBefore);
      const seen = await t.http.get(`/v1/payments/${payment.id}`).set(auth(setup.payer)).expect(200);
      expect(seen.body.decline_code).toBe(code);
      return payment;
    }

    it('insufficient_funds', async () => {
      await expectDecline(await payerReceiverMandate(t, {}, '5.00'), '5.01', 'insufficient_funds');
    });

    it('mandate_limit_exceeded per payment and per day', async () => {
      const setup = await payerReceiverMandate(t, { max_amount_per_payment: '3.00', max_amount_per_day: '5.00' });
      await expectDecline(setup, '3.01', 'mandate_limit_exceeded');
      expect((await charge(t, setup.receiver, setup.mandate.id, '3.00')).status).toBe('succeeded');
      await expectDecline(setup, '2.01', 'mandate_limit_exceeded');
      expect((await charge(t, setup.receiver, setup.mandate.id, '2.00')).status).toBe('succeeded');
      expect(await mandateView(setup.payer, setup.mandate.id)).toMatchObject({ spent_today: '5.00' });
    });

    it('mandate_budget_exhausted, and the mandate reports exhausted', async () => {
      const setup = await payerReceiverMandate(t, { total_budget: '4.00' });
      expect((await charge(t, setup.receiver, setup.mandate.id, '3.00')).status).toBe('succeeded');
      await expectDecline(setup, '1.50', 'mandate_budget_exhausted');
      expect((await charge(t, setup.receiver, setup.mandate.id, '1.00')).status).toBe('succeeded');
      expect(await mandateView(setup.payer, setup.mandate.id)).toMatchObject({
        status: 'exhausted',
        remaining_budget: '0.00',
      });
      await expectDecline(setup, '0.01', 'mandate_budget_exhausted');
    });

    it('mandate_expired', async () => {
      const setup = await payerReceiverMandate(t, { expires_at: Math.floor(Date.now() / 1000) + 2 });
      await new Promise((resolve) => setTimeout(resolve, 2100));
      await expectDecline(setup, '1.00', 'mandate_expired');
      expect(await mandateView(setup.payer, setup.mandate.id)).toMatchObject({ status: 'expired' });
    });

    it('mandate_revoked', async () => {
      const setup = await payerReceiverMandate(t);
      await t.http.post(`/v1/mandates/${setup.mandate.id}/revoke`).set(auth(setup.payer)).expect(200);
      await expectDecline(setup, '1.00', 'mandate_revoked');
    });

    it('payee_not_allowed', async () => {
      const setup = await payerReceiverMandate(t);
      const other = await signUpVerifiedReceiver(t);
      await expectDecline({ ...setup, receiver: other }, '1.00', 'payee_not_allowed');
    });

    it('currency_mismatch', async () => {
      await expectDecline(await payerReceiverMandate(t), '1.00', 'currency_mismatch', { currency: 'eur' });
    });

    it('receiver_not_enabled', async () => {
      const payer = await fundedPayer(t);
      const receiver = await signUp(t, { capabilities: ['receive'] });
      const mandate = await grantMandate(t, payer, { payee: receiver.id });
      await expectDecline({ payer, receiver, mandate }, '1.00', 'receiver_not_enabled');
    });
  });

  describe('bad input, nothing moves', () => {
    it.each([
      ['0', 'zero_amount'],
      ['-1.00', 'negative_amount'],
      ['0.0000000001', 'too_many_decimals'],
      ['abc', 'invalid_amount'],
    ])('amount %s → 400 %s', async (amount, code) => {
      const { payer, receiver, mandate } = await payerReceiverMandate(t);
      const response = await t.http
        .post('/v1/payments')
        .set(auth(receiver))
        .send({ mandate: mandate.id, amount, currency: 'usd' })
        .expect(400);
      expect(response.body.error).toMatchObject({ code, param: 'amount' });
      expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(100_000_000_000n);
    });

    it('unknown currency and unknown mandate', async () => {
      const { receiver, mandate } = await payerReceiverMandate(t);
      const currency = await t.http
        .post('/v1/payments')
        .set(auth(receiver))
        .send({ mandate: mandate.id, amount: '1.00', currency: 'abc' })
        .expect(400);
      expect(currency.body.error.param).toBe('currency');
      const missing = await t.http
        .post('/v1/payments')
        .set(auth(receiver))
        .send({ mandate: 'mdt_missing', amount: '1.00', currency: 'usd' })
        .expect(404);
      expect(missing.body.error).toMatchObject({ code: 'resource_missing', param: 'mandate' });
    });
  });

  describe('human confirmation above the threshold', () => {
    it('holds the amount against wallet and limits until the payer confirms', async () => {
      const setup = await payerReceiverMandate(t, { confirmation_threshold: '5.00', total_budget: '20.00' });
      const small = await charge(t, setup.receiver, setup.mandate.id, '5.00');
      expect(small.status).toBe('succeeded');
      const big = await charge(t, setup.receiver, setup.mandate.id, '8.00');
      expect(big).toMatchObject({ status: 'requires_confirmation', confirmation_expires_at: expect.any(Number) });
      expect(await walletOf(t, setup.payer)).toMatchObject({ available: '87.00', held: '8.00' });
      expect(await mandateView(setup.payer, setup.mandate.id)).toMatchObject({ spent_total: '13.00' });
      expect((await ledgerBalance(t, setup.receiver.id, 'pending')).posted).toBe(4_875_000_000n);

      const byReceiver = await t.http.post(`/v1/payments/${big.id}/confirm`).set(auth(setup.receiver)).expect(403);
      expect(byReceiver.body.error.code).toBe('payer_confirmation_required');
      const confirmed = await t.http.post(`/v1/payments/${big.id}/confirm`).set(auth(setup.payer)).expect(200);
      expect(confirmed.body.status).toBe('succeeded');
      expect(await walletOf(t, setup.payer)).toMatchObject({ available: '87.00', held: '0.00' });
      expect((await ledgerBalance(t, setup.receiver.id, 'pending')).posted).toBe(4_875_000_000n + 7_800_000_000n);
      const again = await t.http.post(`/v1/payments/${big.id}/confirm`).set(auth(setup.payer)).expect(409);
      expect(again.body.error.code).toBe('payment_not_awaiting_confirmation');
    });

    it('releases the hold and the limits when the payer cancels', async () => {
      const setup = await payerReceiverMandate(t, { confirmation_threshold: '1.00', total_budget: '10.00' });
      const held = await charge(t, setup.receiver, setup.mandate.id, '9.00');
      expect(held.status).toBe('requires_confirmation');
      const blocked = await charge(t, setup.receiver, setup.mandate.id, '2.00');
      expect(blocked.decline_code).toBe('mandate_budget_exhausted');
      const canceled = await t.http.post(`/v1/payments/${held.id}/cancel`).set(auth(setup.payer)).expect(200);
      expect(canceled.body.status).toBe('canceled');
      expect(await walletOf(t, setup.payer)).toMatchObject({ available: '100.00', held: '0.00' });
      expect(await mandateView(setup.payer, setup.mandate.id)).toMatchObject({ spent_total: '0.00', status: 'active' });
      await t.http.post(`/v1/payments/${held.id}/confirm`).set(auth(setup.payer)).expect(409);
    });

    it('expires an unconfirmed payment after the confirmation window and releases the hold', async () => {
      const setup = await payerReceiverMandate(t, { confirmation_threshold: '1.00' });
      const held = await charge(t, setup.receiver, setup.mandate.id, '3.00');
      const expirer = t.app.get(ExpirePaymentsService);
      await expirer.expireDue(new Date());
      expect((await t.http.get(`/v1/payments/${held.id}`).set(auth(setup.payer)).expect(200)).body.status).toBe(
        'requires_confirmation',
      );
      await expirer.expireDue(new Date(Date.now() + 601_000));
      const expired = await t.http.get(`/v1/payments/${held.id}`).set(auth(setup.payer)).expect(200);
      expect(expired.body.status).toBe('expired');
      expect(await walletOf(t, setup.payer)).toMatchObject({ available: '100.00', held: '0.00' });
      expect(await mandateView(setup.payer, setup.mandate.id)).toMatchObject({ spent_total: '0.00' });
      await t.http.post(`/v1/payments/${held.id}/confirm`).set(auth(setup.payer)).expect(409);
    });
  });

  describe('refunds', () => {
    it('refunds in parts up to the paid amount, giving the fee back in proportion', async () => {
      const setup = await payerReceiverMandate(t, { total_budget: '10.00' });
      const payment = await charge(t, setup.receiver, setup.mandate.id, '10.00');
      const first = await t.http
        .post('/v1/refunds')
        .set(auth(setup.receiver))
        .send({ payment: payment.id, amount: '3.00', reason: 'partial outage' })
        .expect(201);
      expect(first.body).toMatchObject({
        object: 'refund',
        amount: '3.00',
        fee_refunded: '0.075',
        status: 'succeeded',
      });
      expect(await mandateView(setup.payer, setup.mandate.id)).toMatchObject({
        spent_total: '7.00',
        remaining_budget: '3.00',
        status: 'active',
      });
      const tooMuch = await t.http
        .post('/v1/refunds')
        .set(auth(setup.receiver))
        .send({ payment: payment.id, amount: '7.01' })
        .expect(400);
      expect(tooMuch.body.error).toMatchObject({ code: 'refund_exceeds_remaining', param: 'amount' });
      const rest = await t.http.post('/v1/refunds').set(auth(setup.receiver)).send({ payment: payment.id }).expect(201);
      expect(rest.body).toMatchObject({ amount: '7.00', fee_refunded: '0.175' });
      expect((await ledgerBalance(t, setup.payer.id, 'wallet')).posted).toBe(100_000_000_000n);
      expect((await ledgerBalance(t, setup.receiver.id, 'pending')).posted).toBe(0n);
      // The wallet got 10.00 back and the receiver gave 9.75: the platform gave back the 0.25 fee.
      const seen = await t.http.get(`/v1/payments/${payment.id}`).set(auth(setup.receiver)).expect(200);
      expect(seen.body).toMatchObject({ amount_refunded: '10.00', fee_refunded: '0.25' });
      await t.http.post('/v1/refunds').set(auth(setup.receiver)).send({ payment: payment.id }).expect(400);
    });

    it('only the receiver refunds, and only a succeeded payment', async () => {
      const setup = await payerReceiverMandate(t, { confirmation_threshold: '1.00' });
      const held = await charge(t, setup.receiver, setup.mandate.id, '2.00');
      const notPaid = await t.http.post('/v1/refunds').set(auth(setup.receiver)).send({ payment: held.id }).expect(400);
      expect(notPaid.body.error).toMatchObject({ code: 'payment_not_refundable', param: 'payment' });
      const paid = await charge(t, setup.receiver, setup.mandate.id, '1.00');
      await t.http.post('/v1/refunds').set(auth(setup.payer)).send({ payment: paid.id }).expect(404);
      const negative = await t.http
        .post('/v1/refunds')
        .set(auth(setup.receiver))
        .send({ payment: paid.id, amount: '-1' })
        .expect(400);
      expect(negative.body.error.param).toBe('amount');
    });

    it("succeeds when the receiver's balance is short, leaving it negative", async () => {
      const setup = await payerReceiverMandate(t);
      const payment = await charge(t, setup.receiver, setup.mandate.id, '4.00');
      // The receiver's funds moved on (as settlement would move them to available).
      await t.app.get(LedgerService).post({
        reference: `test-settle:${payment.id}`,
        type: 'adjustment',
        legs: [
          {
            debit: { owner: setup.receiver.id, purpose: 'pending', currency: 'usd' },
            credit: { owner: setup.receiver.id, purpose: 'available', currency: 'usd' },
            amount: 3_900_000_000n,
          },
        ],
      });
      await t.http.post('/v1/refunds').set(auth(setup.receiver)).send({ payment: payment.id }).expect(201);
      expect((await ledgerBalance(t, setup.receiver.id, 'pending')).posted).toBe(-3_900_000_000n);
      expect((await ledgerBalance(t, setup.payer.id, 'wallet')).posted).toBe(100_000_000_000n);
    });
  });

  it('never lets 50 concurrent payments exceed any limit or the wallet', async () => {
    const setup = await payerReceiverMandate(
      t,
      { max_amount_per_payment: '1.00', max_amount_per_day: '30.00', total_budget: '40.00' },
      '25.00',
    );
    const second = await grantMandate(t, setup.payer, { payee: setup.receiver.id });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.http
          .post('/v1/payments')
          .set(auth(setup.receiver))
          .send({ mandate: i % 5 === 0 ? second.id : setup.mandate.id, amount: '1.00', currency: 'usd' })
          .then((response) => response.body),
      ),
    );
    const succeeded = results.filter((p) => p.status === 'succeeded');
    expect(succeeded).toHaveLength(25);
    expect(results.filter((p) => p.status === 'failed').every((p) => p.decline_code === 'insufficient_funds')).toBe(
      true,
    );
    const wallet = await ledgerBalance(t, setup.payer.id, 'wallet');
    expect(wallet.posted).toBe(0n);
    const view = await mandateView(setup.payer, setup.mandate.id);
    const onFirst = succeeded.filter((p) => p.mandate === setup.mandate.id).length;
    expect(view.spent_total).toBe(`${onFirst}.00`);
  });

  it('never lets concurrent payments exceed the daily limit of one mandate', async () => {
    const setup = await payerReceiverMandate(t, { max_amount_per_day: '7.00', total_budget: '9.00' });
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.http
          .post('/v1/payments')
          .set(auth(setup.receiver))
          .send({ mandate: setup.mandate.id, amount: '1.00', currency: 'usd' })
          .then((response) => response.body),
      ),
    );
    expect(results.filter((p) => p.status === 'succeeded')).toHaveLength(7);
    expect(new Set(results.filter((p) => p.status === 'failed').map((p) => p.decline_code))).toEqual(
      new Set(['mandate_limit_exceeded']),
    );
    expect((await ledgerBalance(t, setup.payer.id, 'wallet')).posted).toBe(93_000_000_000n);
  });
});
