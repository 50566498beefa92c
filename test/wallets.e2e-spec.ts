import { auth, signUp } from './support/factories.js';
import { fundedPayer, ledgerBalance, ledgerEntriesOf, topUp, walletOf } from './support/payment-factories.js';
import { startTestApp, TestApp } from './support/test-app.js';

describe('wallets and local top-ups', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('credits a local top-up at once, from provider clearing to the wallet', async () => {
    const payer = await signUp(t, { capabilities: ['pay'] });
    const created = await topUp(t, payer, '25.50');
    expect(created).toMatchObject({ object: 'top_up', amount: '25.50', currency: 'usd', status: 'succeeded' });
    expect(await walletOf(t, payer)).toEqual({ currency: 'usd', available: '25.50', held: '0.00' });
    expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(25_500_000_000n);
    expect(await ledgerEntriesOf(t, 'top_ups', created.id)).toEqual([
      { direction: 'debit', owner: 'platform', purpose: 'provider_clearing', amount: 25_500_000_000n },
      { direction: 'credit', owner: payer.id, purpose: 'wallet', amount: 25_500_000_000n },
    ]);

    const listed = await t.http.get('/v1/wallet/top_ups').set(auth(payer)).expect(200);
    expect(listed.body.data.map((row: { id: string }) => row.id)).toEqual([created.id]);
    const fetched = await t.http.get(`/v1/wallet/top_ups/${created.id}`).set(auth(payer)).expect(200);
    expect(fetched.body.status).toBe('succeeded');
  });

  it("keeps one wallet per currency and hides another account's top-ups", async () => {
    const payer = await fundedPayer(t, '10.00');
    await topUp(t, payer, '1000', 'jpy');
    const wallet = await t.http.get('/v1/wallet').set(auth(payer)).expect(200);
    expect(wallet.body.balances).toEqual([
      { currency: 'jpy', available: '1000', held: '0' },
      { currency: 'usd', available: '10.00', held: '0.00' },
    ]);
    const other = await signUp(t, { capabilities: ['pay'] });
    const mine = await t.http.get('/v1/wallet/top_ups').set(auth(payer)).expect(200);
    const response = await t.http.get(`/v1/wallet/top_ups/${mine.body.data[0].id}`).set(auth(other)).expect(404);
    expect(response.body.error.code).toBe('resource_missing');
  });

  it.each([
    ['0', 'usd', 'zero_amount', 'amount'],
    ['-5.00', 'usd', 'negative_amount', 'amount'],
    ['1.001', 'usd', 'too_many_decimals', 'amount'],
    ['10.5', 'jpy', 'too_many_decimals', 'amount'],
    ['1e3', 'usd', 'invalid_amount', 'amount'],
    ['10.00', 'usx', 'parameter_invalid', 'currency'],
    ['10.00', 'USD', 'parameter_invalid', 'currency'],
  ])('rejects a top-up of %s %s with %s', async (amount, currency, code, param) => {
    const payer = await signUp(t, { capabilities: ['pay'] });
    const response = await t.http.post('/v1/wallet/top_ups').set(auth(payer)).send({ amount, currency }).expect(400);
    expect(response.body.error).toMatchObject({ code, param });
    expect((await t.http.get('/v1/wallet').set(auth(payer)).expect(200)).body.balances).toEqual([]);
  });

  it('refuses a top-up for an account without the pay capability', async () => {
    const receiver = await signUp(t, { capabilities: ['receive'] });
    const response = await t.http
      .post('/v1/wallet/top_ups')
      .set(auth(receiver))
      .send({ amount: '5.00', currency: 'usd' })
      .expect(403);
    expect(response.body.error.code).toBe('pay_capability_required');
  });
});
