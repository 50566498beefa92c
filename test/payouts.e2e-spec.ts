import { adminAuth, auth } from './support/factories.js';
import { parseAmount } from '../libs/money/src/index.js';
import {
  balances,
  BANK,
  bankDestination,
  creditPending,
  creditPendingCommittedLater,
  debitPending,
  fundAvailable,
  payoutReceiver,
  runPayoutClock,
  waitForPayout,
} from './support/payout-factories.js';
import { DataSource } from 'typeorm';
import { SettleFundsService } from '../src/payouts/use-cases/settle-funds/settle-funds.service.js';
import { startTestApp, TestApp } from './support/test-app.js';

describe('payouts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PAYOUT_TICK_SECONDS: '0' });
  });
  afterAll(() => t.close());

  describe('payout settings', () => {
    it('starts from a daily schedule without a destination and keeps fields that are not sent', async () => {
      const receiver = await payoutReceiver(t, { schedule: { interval: 'weekly', weekly_anchor: 'friday' } });
      const updated = await t.http
        .put('/v1/payout_settings')
        .set(auth(receiver))
        .send({ minimum_amount: { amount: '25.00', currency: 'usd' } })
        .expect(200);
      expect(updated.body).toMatchObject({
        object: 'payout_settings',
        schedule: { interval: 'weekly', weekly_anchor: 'friday', monthly_anchor: null },
        minimum_amount: { amount: '25.00', currency: 'usd' },
        destination: { type: 'bank_account', last4: '6789', routing_number: '110000000' },
        settlement_delay_days: 2,
        payouts_paused: false,
      });
      expect(JSON.stringify(updated.body)).not.toContain('000123456789');
    });

    it('refuses bank details of the wrong shape, naming the field', async () => {
      const receiver = await payoutReceiver(t);
      const bad = await t.http
        .put('/v1/payout_settings')
        .set(auth(receiver))
        .send({ destination: { ...bankDestination(), routing_number: '110000001' } })
        .expect(400);
      expect(bad.body.error).toMatchObject({ code: 'invalid_routing_number', param: 'destination.routing_number' });
      const monthly = await t.http
        .put('/v1/payout_settings')
        .set(auth(receiver))
        .send({ schedule: { interval: 'monthly' } })
        .expect(400);
      expect(monthly.body.error.param).toBe('schedule.monthly_anchor');
    });

    it('lets the operator set the settlement delay and the rolling reserve', async () => {
      const receiver = await payoutReceiver(t);
      const terms = await t.http
        .put(`/v1/admin/accounts/${receiver.id}/payout_settings`)
        .set(adminAuth)
        .send({ settlement_delay_days: 7, reserve_bps: 1000, reserve_hold_days: 30 })
        .expect(200);
      expect(terms.body).toMatchObject({ settlement_delay_days: 7, reserve: { bps: 1000, hold_days: 30 } });
      await t.http.put(`/v1/admin/accounts/${receiver.id}/payout_settings`).set(auth(receiver)).send({}).expect(403);
    });
  });

  describe('manual payouts', () => {
    it('pays out part of the available balance through the local rail', async () => {
      const receiver = await payoutReceiver(t, { settlementDelayDays: 0 });
      await fundAvailable(t, receiver, '100.00');
      expect((await balances(t, receiver.id)).available).toBe(100_000_000_000n);

      const created = await t.http
        .post('/v1/payouts')
        .set(auth(receiver))
        .send({ amount: '60.00', currency: 'usd' })
        .expect(201);
      expect(created.body).toMatchObject({ object: 'payout', amount: '60.00', status: 'pending', automatic: false });
      const paid = await waitForPayout(t, receiver, created.body.id, ['paid']);
      expect(paid).toMatchObject({ provider: 'local', destination: { last4: '6789' } });
      expect(await balances(t, receiver.id)).toEqual({
        pending: 0n,
        available: 40_000_000_000n,
        reserve: 0n,
        inTransit: 0n,
      });
      const list = await t.http.get('/v1/payouts?status=paid').set(auth(receiver)).expect(200);
      expect(list.body.data.map((p: { id: string }) => p.id)).toEqual([created.body.id]);
    });

    it('refuses more than the available balance, sub-cent amounts and other tenants', async () => {
      const receiver = await payoutReceiver(t, { settlementDelayDays: 0 });
      await fundAvailable(t, receiver, '10.00');
      const tooMuch = await t.http
        .post('/v1/payouts')
        .set(auth(receiver))
        .send({ amount: '10.01', currency: 'usd' })
        .expect(402);
      expect(tooMuch.body.error.code).toBe('insufficient_funds');
      const subCent = await t.http
        .post('/v1/payouts')
        .set(auth(receiver))
        .send({ amount: '1.005', currency: 'usd' })
        .expect(400);
      expect(subCent.body.error).toMatchObject({ code: 'too_many_decimals', param: 'amount' });
      const other = await payoutReceiver(t);
      const mine = await t.http.post('/v1/payouts').set(auth(receiver)).send({ amount: '1.00', currency: 'usd' });
      await t.http.get(`/v1/payouts/${mine.body.id}`).set(auth(other)).expect(404);
    });

    it('lets exactly one of 20 concurrent payouts of 60% of the balance through', async () => {
      const receiver = await payoutReceiver(t, { settlementDelayDays: 0 });
      await fundAvailable(t, receiver, '50.00');
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          t.http.post('/v1/payouts').set(auth(receiver)).send({ amount: '30.00', currency: 'usd' }),
        ),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 402)).toHaveLength(19);
      const winner = responses.find((response) => response.status === 201)!;
      await waitForPayout(t, receiver, winner.body.id, ['paid']);
      expect((await balances(t, receiver.id)).available).toBe(20_000_000_000n);
    });

    it('fails a payout to a closed account, returns the money and pauses scheduled payouts', async () => {
      const receiver = await payoutReceiver(t, { settlementDelayDays: 0, accountNumber: BANK.noAccount });
      await fundAvailable(t, receiver, '30.00');
      const created = await t.http
        .post('/v1/payouts')
        .set(auth(receiver))
        .send({ amount: '30.00', currency: 'usd' })
        .expect(201);
      const failed = await waitForPayout(t, receiver, created.body.id, ['failed']);
      expect(failed).toMatchObject({ failure_code: 'no_account', returned: false });
      expect((await balances(t, receiver.id)).available).toBe(30_000_000_000n);
      const settings = await t.http.get('/v1/payout_settings').set(auth(receiver)).expect(200);
      expect(settings.body).toMatchObject({ payouts_paused: true, paused_reason: 'payout_failed' });
      const fixed = await t.http
        .put('/v1/payout_settings')
        .set(auth(receiver))
        .send({ destination: bankDestination(BANK.ok) })
        .expect(200);
      expect(fixed.body.payouts_paused).toBe(false);
    });
  });

  describe('reconciliation and statements', () => {
    it('explains a payout line by line, lists its balance transactions and streams a balanced statement', async () => {
      const receiver = await payoutReceiver(t, { settlementDelayDays: 0 });
      const from = new Date(Date.now() - 1000).toISOString();
      await creditPending(t, receiver.id, '10.00', { fee: '0.30' });
      await creditPending(t, receiver.id, '5.000000001', { fee: '0.15' });
      await debitPending(t, receiver.id, '2.50');
      await runPayoutClock(t);
      const payout = await t.http
        .post('/v1/payouts')
        .set(auth(receiver))
        .send({ amount: '12.50', currency: 'usd' })
        .expect(201);
      await waitForPayout(t, receiver, payout.body.id, ['paid']);

      const report = await t.http.get(`/v1/payouts/${payout.body.id}/reconciliation`).set(auth(receiver)).expect(200);
      expect(report.body).toMatchObject({
        object: 'payout_reconciliation',
        balanced: true,
        opening_balance: '0.00',
        lines_total: '12.500000001',
        payout_amount: '12.50',
        closing_balance: '0.000000001',
      });
      expect(
        report.body.lines.map((l: { type: string; gross: string; fee: string; net: string }) => [
          l.type,
          l.gross,
          l.fee,
          l.net,
        ]),
      ).toEqual([
        ['payment', '10.30', '0.30', '10.00'],
        ['payment', '5.150000001', '0.15', '5.000000001'],
        ['refund', '-2.50', '0.00', '-2.50'],
      ]);

      const lines = await t.http
        .get(`/v1/balance_transactions?payout=${payout.body.id}&limit=100`)
        .set(auth(receiver))
        .expect(200);
      const types = lines.body.data.map((line: { type: string }) => line.type);
      expect(types.filter((type: string) => type === 'payment')).toHaveLength(2);
      expect(types).toContain('refund');
      expect(types).toContain('payout');
      await t.http.get(`/v1/balance_transactions?payout=po_unknown`).set(auth(receiver)).expect(404);

      const to = new Date(Date.now() + 60_000).toISOString();
      const statement = await t.http
        .get(`/v1/reports/balance_transactions.csv?from=${from}&to=${to}`)
        .set(auth(receiver))
        .expect('Content-Type', /text\/csv/)
        .expect(200);
      const rows = statement.text
        .trim()
        .split('\n')
        .slice(1)
        .map((row) => row.split(','));
      const net = (row: string[]) => parseAmount(row[9], { allowNegative: true });
      expect(rows[0][0]).toBe('opening_balance');
      expect(rows.at(-1)![0]).toBe('closing_balance');
      expect(rows.map((row) => row[0])).toEqual([
        'opening_balance',
        'payment',
        'payment',
        'refund',
        'payout',
        'closing_balance',
      ]);
      const movements = rows.slice(1, -1).reduce((sum, row) => sum + net(row), 0n);
      expect(net(rows[0]) + movements).toBe(net(rows.at(-1)!));
      expect(net(rows.at(-1)!)).toBe(1n);
      await t.http.get(`/v1/reports/balance_transactions.csv?from=${to}&to=${from}`).set(auth(receiver)).expect(400);
    });

    it('holds payouts while refunds leave the pending balance negative, and resumes once income covers them', async () => {
      const receiver = await payoutReceiver(t, { settlementDelayDays: 0 });
      await creditPending(t, receiver.id, '20.00');
      await runPayoutClock(t);
      await debitPending(t, receiver.id, '30.00');
      const refused = await t.http
        .post('/v1/payouts')
        .set(auth(receiver))
        .send({ amount: '5.00', currency: 'usd' })
        .expect(400);
      expect(refused.body.error.code).toBe('balance_negative');
      await runPayoutClock(t); // the refund is due, but available (20) cannot cover it (30): it waits
      expect(await balances(t, receiver.id)).toMatchObject({ pending: -30_000_000_000n, available: 20_000_000_000n });
      await creditPending(t, receiver.id, '15.00');
      await runPayoutClock(t);
      expect(await balances(t, receiver.id)).toMatchObject({ pending: 0n, available: 5_000_000_000n });
      await t.http.post('/v1/payouts').set(auth(receiver)).send({ amount: '5.00', currency: 'usd' }).expect(201);
    });
  });

  describe('scheduled payouts', () => {
    it('pays every whole cent of the available balance and leaves the sub-cent remainder', async () => {
      const receiver = await payoutReceiver(t, { settlementDelayDays: 0, schedule: { interval: 'daily' } });
      await creditPending(t, receiver.id, '12.345678901');
      await runPayoutClock(t);
      const list = await t.http.get('/v1/payouts').set(auth(receiver)).expect(200);
      expect(list.body.data).toHaveLength(1);
      expect(list.body.data[0]).toMatchObject({ amount: '12.34', automatic: true });
      await waitForPayout(t, receiver, list.body.data[0].id, ['paid']);
      expect((await balances(t, receiver.id)).available).toBe(5_678_901n);
      // A second run the same day creates nothing more.
      await creditPending(t, receiver.id, '5.00');
      await runPayoutClock(t);
      expect((await t.http.get('/v1/payouts').set(auth(receiver))).body.data).toHaveLength(1);
    });

    it('takes a settlement backlog a window at a time and counts every movement once', async () => {
      const receiver = await payoutReceiver(t, { settlementDelayDays: 0, schedule: { interval: 'manual' } });
      for (const amount of ['1.25', '2.50', '3.75']) await creditPending(t, receiver.id, amount);
      // As if the clock had not run for two days: the ingest walks the backlog window by window (empty windows
      // skipped), re-reading what it had already taken, which must not count twice.
      const db = t.app.get(DataSource);
      await db.query(`UPDATE settlement_cursor SET scanned_until = clock_timestamp() - interval '2 days'`);
      await runPayoutClock(t);
      await db.query(`UPDATE settlement_cursor SET scanned_until = clock_timestamp() - interval '2 days'`);
      await runPayoutClock(t);
      expect(await balances(t, receiver.id)).toMatchObject({ pending: 0n, available: parseAmount('7.50') });
      const [items] = await db.query(
        `SELECT count(*)::int AS n, sum(net)::text AS net FROM settlement_items WHERE account_id = $1`,
        [receiver.id],
      );
      expect(items).toEqual({ n: 3, net: parseAmount('7.50').toString() });
      const [cursor] = await db.query(`SELECT scanned_until > clock_timestamp() - interval '1 minute' AS recent
                                         FROM settlement_cursor`);
      expect(cursor.recent).toBe(true);
    });

    it('takes a movement whose transaction was still open during an ingest in a later run', async () => {
      const receiver = await payoutReceiver(t, { settlementDelayDays: 0, schedule: { interval: 'manual' } });
      await creditPendingCommittedLater(t, receiver.id, '4.00', async (query) => {
        // The ingest alone, as its own job runs it (a payout run would wait for this transaction to finish): it
        // must not move its cursor past the movement.
        await t.app.get(SettleFundsService).ingest();
        const [{ started }] = await query(`SELECT now() AS started`);
        const [{ cursor }] = await query(`SELECT scanned_until AS cursor FROM settlement_cursor`);
        expect(cursor.getTime()).toBeLessThanOrEqual(started.getTime());
      });
      await runPayoutClock(t);
      expect(await balances(t, receiver.id)).toMatchObject({ pending: 0n, available: parseAmount('4.00') });
    });

    it('settles in a payout run what a transaction writing when the run started commits during it', async () => {
      const receiver = await payoutReceiver(t, { settlementDelayDays: 0, schedule: { interval: 'manual' } });
      let run: Promise<Record<string, number>> | undefined;
      await creditPendingCommittedLater(t, receiver.id, '6.00', async () => {
        run = runPayoutClock(t);
        await new Promise((resolve) => setTimeout(resolve, 200));
      });
      await run;
      expect(await balances(t, receiver.id)).toMatchObject({ pending: 0n, available: parseAmount('6.00') });
    });

    it('waits until the available balance reaches the minimum', async () => {
      const receiver = await payoutReceiver(t, { settlementDelayDays: 0, schedule: { interval: 'daily' } });
      await t.http
        .put('/v1/payout_settings')
        .set(auth(receiver))
        .send({ minimum_amount: { amount: '50.00', currency: 'usd' } })
        .expect(200);
      await creditPending(t, receiver.id, '49.99');
      await runPayoutClock(t);
      expect((await t.http.get('/v1/payouts').set(auth(receiver))).body.data).toHaveLength(0);
    });
  });
});

describe('payouts without a worker running', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ APP_ROLE: 'api', PAYOUT_TICK_SECONDS: '0' });
  });
  afterAll(() => t.close());

  it('cancels a pending payout and gives the amount back at once', async () => {
    const receiver = await payoutReceiver(t, { settlementDelayDays: 0 });
    await fundAvailable(t, receiver, '20.00');
    const created = await t.http
      .post('/v1/payouts')
      .set(auth(receiver))
      .send({ amount: '15.00', currency: 'usd' })
      .expect(201);
    expect((await balances(t, receiver.id)).available).toBe(5_000_000_000n);
    const canceled = await t.http.post(`/v1/payouts/${created.body.id}/cancel`).set(auth(receiver)).expect(200);
    expect(canceled.body.status).toBe('canceled');
    expect((await balances(t, receiver.id)).available).toBe(20_000_000_000n);
    const again = await t.http.post(`/v1/payouts/${created.body.id}/cancel`).set(auth(receiver)).expect(409);
    expect(again.body.error.code).toBe('payout_not_cancelable');
  });
});

describe('settlement ingest between payout ticks', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A tick at start, then none for an hour: only the ingest's own job can copy what is written afterwards.
    t = await startTestApp({ PAYOUT_TICK_SECONDS: '3600' });
  });
  afterAll(() => t.close());

  it('copies a new pending movement into a settlement item within seconds, without a tick', async () => {
    const receiver = await payoutReceiver(t, { schedule: { interval: 'manual' } });
    await creditPending(t, receiver.id, '3.21', { fee: '0.09' });
    const db = t.app.get(DataSource);
    let items: Array<{ gross: string; fee: string; net: string }> = [];
    for (let waited = 0; items.length === 0 && waited < 15_000; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      items = await db.query(`SELECT gross::text, fee::text, net::text FROM settlement_items WHERE account_id = $1`, [
        receiver.id,
      ]);
    }
    expect(items).toEqual([
      {
        gross: parseAmount('3.30').toString(),
        fee: parseAmount('0.09').toString(),
        net: parseAmount('3.21').toString(),
      },
    ]);
    // The delay (2 days by default) has not passed: the money is still pending.
    expect(await balances(t, receiver.id)).toMatchObject({ pending: parseAmount('3.21'), available: 0n });
  });
});
