import { DataSource } from 'typeorm';
import { adminAuth, auth, signUpVerifiedReceiver, type TestAccount } from './support/factories.js';
import {
  fundedPayer,
  grantMandate,
  ledgerBalance,
  ledgerEntriesOf,
  payerReceiverMandate,
} from './support/payment-factories.js';
import { startTestApp, TestApp } from './support/test-app.js';

/**
 * Concurrent payments are group-committed: decided, moved and recorded together in one database transaction
 * per lane. These tests send bursts that land in shared batches and check that each payment is still decided
 * and booked exactly as if it had run alone.
 */
describe('payments committed in batches', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CONFIRMATION_TTL_SECONDS: '900', PAYMENT_BATCH_LANES: '1' });
  });
  afterAll(() => t.close());

  function pay(receiver: TestAccount, body: Record<string, unknown>) {
    return t.http
      .post('/v1/payments')
      .set(auth(receiver))
      .send({ currency: 'usd', ...body });
  }

  /** How many database transactions wrote these payments (rows written together share their xmin). */
  async function transactionsThatWrote(ids: string[]): Promise<number> {
    const rows: Array<{ n: string }> = await t.app
      .get(DataSource)
      .query(`SELECT count(DISTINCT xmin::text) AS n FROM payments WHERE id = ANY($1::text[])`, [ids]);
    return Number(rows[0].n);
  }

  it('shares transactions between payments but gives each its own ledger transaction', async () => {
    const receivers = [await signUpVerifiedReceiver(t), await signUpVerifiedReceiver(t)];
    const payers = [await fundedPayer(t, '50.00'), await fundedPayer(t, '50.00'), await fundedPayer(t, '50.00')];
    const mandates: Array<{ payer: TestAccount; receiver: TestAccount; mandate: { id: string } }> = [];
    for (const payer of payers) {
      for (const receiver of receivers)
        mandates.push({ payer, receiver, mandate: await grantMandate(t, payer, { payee: receiver.id }) });
    }
    const responses = await Promise.all(
      Array.from({ length: 36 }, (_, i) => {
        const { receiver, mandate } = mandates[i % mandates.length];
        return pay(receiver, { mandate: mandate.id, amount: '1.00', metadata: { n: String(i) } });
      }),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(36).fill(201));
    const payments = responses.map((r) => r.body);
    expect(payments.every((p) => p.status === 'succeeded' && p.fee === '0.025' && p.net === '0.975')).toBe(true);
    expect(payments.map((p) => p.metadata.n)).toEqual(Array.from({ length: 36 }, (_, i) => String(i)));

    const ids = payments.map((p) => p.id);
    expect(await transactionsThatWrote(ids)).toBeLessThan(ids.length);
    const ledgerIds: Array<{ ledger_transaction_id: string }> = await t.app
      .get(DataSource)
      .query(`SELECT ledger_transaction_id FROM payments WHERE id = ANY($1::text[])`, [ids]);
    expect(new Set(ledgerIds.map((row) => row.ledger_transaction_id)).size).toBe(36);
    for (const payment of payments.slice(0, 3)) {
      expect(await ledgerEntriesOf(t, 'payments', payment.id)).toEqual([
        { direction: 'debit', owner: payment.payer, purpose: 'wallet', amount: 1_000_000_000n },
        { direction: 'credit', owner: payment.receiver, purpose: 'pending', amount: 975_000_000n },
        { direction: 'credit', owner: 'platform', purpose: 'fees', amount: 25_000_000n },
      ]);
    }
    for (const payer of payers) expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(38_000_000_000n);
    for (const receiver of receivers) {
      expect((await ledgerBalance(t, receiver.id, 'pending')).posted).toBe(17_550_000_000n);
    }
    for (const { payer, mandate } of mandates) {
      const view = await t.http.get(`/v1/mandates/${mandate.id}`).set(auth(payer)).expect(200);
      expect(view.body.spent_total).toBe('6.00');
    }
  });

  it('decides every payment of a mixed burst on its own: successes, holds, declines and an unknown mandate', async () => {
    const { payer, receiver, mandate } = await payerReceiverMandate(t, {
      max_amount_per_payment: '20.00',
      confirmation_threshold: '5.00',
      total_budget: '60.00',
    });
    const revoked = await grantMandate(t, payer, { payee: receiver.id });
    await t.http.post(`/v1/mandates/${revoked.id}/revoke`).set(auth(payer)).expect(200);
    const otherReceiver = await signUpVerifiedReceiver(t);

    const [ok, held, tooBig, onRevoked, unknown, notPayee] = await Promise.all([
      pay(receiver, { mandate: mandate.id, amount: '4.00' }),
      pay(receiver, { mandate: mandate.id, amount: '8.00' }),
      pay(receiver, { mandate: mandate.id, amount: '25.00' }),
      pay(receiver, { mandate: revoked.id, amount: '1.00' }),
      pay(receiver, { mandate: 'mdt_doesnotexist', amount: '1.00' }),
      pay(otherReceiver, { mandate: mandate.id, amount: '1.00' }),
    ]);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ status: 'succeeded', amount: '4.00' });
    expect(held.status).toBe(201);
    expect(held.body).toMatchObject({ status: 'requires_confirmation', amount: '8.00' });
    expect(held.body.confirmation_expires_at).toEqual(expect.any(Number));
    expect(tooBig.body).toMatchObject({ status: 'failed', decline_code: 'mandate_limit_exceeded' });
    expect(onRevoked.body).toMatchObject({ status: 'failed', decline_code: 'mandate_revoked' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'resource_missing', param: 'mandate' });
    expect(notPayee.body).toMatchObject({ status: 'failed', decline_code: 'payee_not_allowed' });

    const wallet = await ledgerBalance(t, payer.id, 'wallet');
    expect(wallet.posted).toBe(96_000_000_000n);
    expect(wallet.available).toBe(88_000_000_000n);
    const view = await t.http.get(`/v1/mandates/${mandate.id}`).set(auth(payer)).expect(200);
    expect(view.body).toMatchObject({ spent_total: '12.00', remaining_budget: '48.00' });
    const declined: Array<{ n: string }> = await t.app
      .get(DataSource)
      .query(`SELECT count(*) AS n FROM payments WHERE status = 'failed' AND id = ANY($1::text[])`, [
        [tooBig.body.id, onRevoked.body.id, notPayee.body.id],
      ]);
    expect(Number(declined[0].n)).toBe(3);

    await t.http.post(`/v1/payments/${held.body.id}/confirm`).set(auth(payer)).expect(200);
    expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(88_000_000_000n);
  });

  it('declines exactly the payments a wallet cannot cover when a burst overdraws it', async () => {
    const payer = await fundedPayer(t, '2.50');
    const receivers = [await signUpVerifiedReceiver(t), await signUpVerifiedReceiver(t)];
    const mandates: Array<{ receiver: TestAccount; mandate: { id: string } }> = [];
    for (const receiver of receivers)
      mandates.push({ receiver, mandate: await grantMandate(t, payer, { payee: receiver.id }) });
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => {
        const { receiver, mandate } = mandates[i % 2];
        return pay(receiver, { mandate: mandate.id, amount: '0.50' });
      }),
    );
    const payments = responses.map((r) => r.body);
    expect(payments.filter((p) => p.status === 'succeeded')).toHaveLength(5);
    expect(payments.filter((p) => p.status === 'failed').map((p) => p.decline_code)).toEqual(
      Array(7).fill('insufficient_funds'),
    );
    expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(0n);
    let spent = 0n;
    for (const { mandate } of mandates) {
      const view = await t.http.get(`/v1/mandates/${mandate.id}`).set(auth(payer)).expect(200);
      spent += BigInt(view.body.spent_total.replace('.', '')) * 10_000_000n;
    }
    expect(spent).toBe(2_500_000_000n);
    const trial = await t.http.get('/v1/admin/ledger/trial_balance').set(adminAuth).expect(200);
    expect(trial.body.balanced).toBe(true);
  });
});
