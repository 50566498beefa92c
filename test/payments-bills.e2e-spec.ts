import { auth, signUpVerifiedReceiver } from './support/factories.js';
import { charge, fundedPayer, grantMandate, ledgerBalance } from './support/payment-factories.js';
import { startTestApp, TestApp } from './support/test-app.js';

describe('AI bills for payers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CONFIRMATION_TTL_SECONDS: '3600' });
  });
  afterAll(() => t.close());

  it('groups what the agents spent, lists declines and pending confirmations apart, and matches the ledger', async () => {
    const payer = await fundedPayer(t, '50.00');
    const booker = (await t.http.post('/v1/agents').set(auth(payer)).send({ name: 'booker' }).expect(201)).body;
    const searcher = (await t.http.post('/v1/agents').set(auth(payer)).send({ name: 'searcher' }).expect(201)).body;
    const airline = await signUpVerifiedReceiver(t);
    const search = await signUpVerifiedReceiver(t);
    const travel = await grantMandate(t, payer, {
      payee: airline.id,
      agent: booker.id,
      confirmation_threshold: '20.00',
    });
    const lookups = await grantMandate(t, payer, { payee: search.id, agent: searcher.id, max_amount_per_payment: '1' });

    const flight = await charge(t, airline, travel.id, '12.40');
    await charge(t, airline, travel.id, '25.00'); // awaits confirmation
    await charge(t, search, lookups.id, '0.000000150');
    await charge(t, search, lookups.id, '0.333333333');
    await charge(t, search, lookups.id, '2.00'); // declined: above the per-payment limit
    await t.http.post('/v1/refunds').set(auth(airline)).send({ payment: flight.id, amount: '2.40' }).expect(201);

    const byAgent = await t.http.get('/v1/bills?group_by=agent').set(auth(payer)).expect(200);
    expect(byAgent.body.object).toBe('bill');
    expect(byAgent.body.lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          key: booker.id,
          amount: '12.40',
          refunded: '2.40',
          net: '10.00',
          payments_count: 1,
          refunds_count: 1,
        }),
        expect.objectContaining({ key: searcher.id, amount: '0.333333483', net: '0.333333483', payments_count: 2 }),
      ]),
    );
    expect(byAgent.body.totals).toEqual([
      {
        currency: 'usd',
        amount: '12.733333483',
        refunded: '2.40',
        net: '10.333333483',
        payments_count: 3,
        refunds_count: 1,
      },
    ]);
    expect(byAgent.body.declined).toMatchObject({ count: 1, totals: [{ currency: 'usd', amount: '2.00' }] });
    expect(byAgent.body.declined.data[0].decline_code).toBe('mandate_limit_exceeded');
    expect(byAgent.body.pending_confirmation).toMatchObject({ count: 1, totals: [{ amount: '25.00' }] });

    const wallet = await ledgerBalance(t, payer.id, 'wallet');
    expect(50_000_000_000n - wallet.posted).toBe(10_333_333_483n);

    const byPayee = await t.http.get('/v1/bills?group_by=payee').set(auth(payer)).expect(200);
    expect(byPayee.body.lines.map((line: { key: string }) => line.key).sort()).toEqual([airline.id, search.id].sort());
    const byMandate = await t.http.get('/v1/bills?group_by=mandate').set(auth(payer)).expect(200);
    expect(byMandate.body.lines.map((line: { key: string }) => line.key).sort()).toEqual(
      [travel.id, lookups.id].sort(),
    );
    const byDay = await t.http.get('/v1/bills?group_by=day').set(auth(payer)).expect(200);
    expect(byDay.body.lines).toEqual([
      expect.objectContaining({ key: new Date().toISOString().slice(0, 10), net: '10.333333483' }),
    ]);
    expect(byDay.body.totals).toEqual(byAgent.body.totals);

    const receiverBill = await t.http.get('/v1/bills').set(auth(airline)).expect(200);
    expect(receiverBill.body.lines).toEqual([]);
    const past = await t.http.get('/v1/bills?from=0&to=1000').set(auth(payer)).expect(200);
    expect(past.body.totals).toEqual([]);
    const bad = await t.http.get('/v1/bills?group_by=week').set(auth(payer)).expect(400);
    expect(bad.body.error.param).toBe('group_by');
  });
});
