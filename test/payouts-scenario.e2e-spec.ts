import { DataSource } from 'typeorm';
import { formatAmount, parseAmount } from '../libs/money/src/index.js';
import { LedgerRepository } from '../src/ledger/ledger.repository.js';
import { adminAuth, auth, TestAccount } from './support/factories.js';
import { charge, fundedPayer, grantMandate } from './support/payment-factories.js';
import {
  balances,
  BANK,
  bankDestination,
  clockOf,
  csvFigures,
  payoutReceiver,
  runPayoutClock,
  trialBalance,
  waitForNoPendingPayouts,
} from './support/payout-factories.js';
import { PrivateRedis, privateDatabase } from './support/private-services.js';
import { startTestApp, TestApp } from './support/test-app.js';

const DAY_MS = 86_400_000;
const DAYS = 60;

/** A small deterministic generator, so every run tells the same sixty-day story. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

interface PayoutRow {
  id: string;
  status: string;
  amount: string;
  automatic: boolean;
  scheduled_for: string | null;
  returned: boolean;
  failure_code: string | null;
}

describe('sixty days of settlement and payouts on a controlled clock', () => {
  let t: TestApp;
  let redis: PrivateRedis;
  const rand = random(20250301);
  const credited = new Map<string, bigint>();
  const mandates = new Map<string, string>();
  const paymentsOf = new Map<string, string[]>();
  /** The pending balance of the refunded receiver after each day's run. */
  const refundedPending = new Map<string, bigint>();
  let weekly: TestAccount;
  let monthly: TestAccount;
  let failing: TestAccount;
  let returning: TestAccount;
  let manual: TestAccount;
  let refunded: TestAccount;
  let receivers: TestAccount[];
  const day0 = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 2, 1, 1)); // 1 March next year, 01:00 UTC
  const dayOf = (n: number) => new Date(day0.getTime() + n * DAY_MS).toISOString().slice(0, 10);

  /** A real payment: the receiver charges the payer's mandate (the platform keeps its fee). */
  async function pay(receiver: TestAccount, amount: bigint): Promise<void> {
    const payment = await charge(t, receiver, mandates.get(receiver.id)!, formatAmount(amount));
    expect(payment.status).toBe('succeeded');
    credited.set(receiver.id, (credited.get(receiver.id) ?? 0n) + parseAmount(payment.net));
    paymentsOf.set(receiver.id, [...(paymentsOf.get(receiver.id) ?? []), payment.id]);
  }

  /** A real refund of a payment (all of what remains when no amount is given). */
  async function refund(receiver: TestAccount, paymentId: string, amount?: bigint): Promise<void> {
    const response = await t.http
      .post('/v1/refunds')
      .set(auth(receiver))
      .send({ payment: paymentId, ...(amount === undefined ? {} : { amount: formatAmount(amount) }) })
      .expect(201);
    const taken = parseAmount(response.body.amount) - parseAmount(response.body.fee_refunded);
    credited.set(receiver.id, (credited.get(receiver.id) ?? 0n) - taken);
  }

  async function payoutsOf(receiver: TestAccount): Promise<PayoutRow[]> {
    const response = await t.http.get('/v1/payouts?limit=100').set(auth(receiver)).expect(200);
    return response.body.data;
  }

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    t = await startTestApp({
      DATABASE_URL: await privateDatabase('payout_scenario'),
      REDIS_URL: redis.url,
      PAYOUT_TICK_SECONDS: '0',
      LOCAL_RAIL_SETTLEMENT_SECONDS: '86400',
      LOCAL_RAIL_RETURN_DAYS: '2',
    });
    clockOf(t).travelTo(day0);
    weekly = await payoutReceiver(t, { schedule: { interval: 'weekly', weekly_anchor: 'friday' } });
    await t.http
      .put('/v1/payout_settings')
      .set(auth(weekly))
      .send({ minimum_amount: { amount: '20.00', currency: 'usd' } })
      .expect(200);
    await t.http
      .put(`/v1/admin/accounts/${weekly.id}/payout_settings`)
      .set(adminAuth)
      .send({ reserve_bps: 1000, reserve_hold_days: 7 })
      .expect(200);
    monthly = await payoutReceiver(t, {
      schedule: { interval: 'monthly', monthly_anchor: 15 },
      settlementDelayDays: 3,
    });
    failing = await payoutReceiver(t, { schedule: { interval: 'daily' }, accountNumber: BANK.noAccount });
    returning = await payoutReceiver(t, { schedule: { interval: 'daily' }, accountNumber: BANK.returned });
    manual = await payoutReceiver(t, { schedule: { interval: 'manual' } });
    refunded = await payoutReceiver(t, { schedule: { interval: 'daily' } });
    receivers = [weekly, monthly, failing, returning, manual, refunded];
    const payer = await fundedPayer(t, '100000.00');
    for (const receiver of receivers) {
      mandates.set(receiver.id, (await grantMandate(t, payer, { payee: receiver.id })).id);
    }

    for (let day = 0; day < DAYS + 10; day++) {
      if (day < DAYS) {
        for (const receiver of receivers) {
          const payments = Math.floor(rand() * 3);
          for (let i = 0; i < payments; i++) {
            await pay(receiver, 1_000_000_000n + BigInt(Math.floor(rand() * 60_000_000_000)));
          }
          const paid = paymentsOf.get(receiver.id) ?? [];
          if (paid.length > 0 && rand() < 0.08) {
            await refund(receiver, paid[paid.length - 1], BigInt(Math.floor(rand() * 900_000_000)) + 1n);
          }
        }
      }
      if (day === 20) {
        // Everything the receiver ever earned goes back, long after it was paid out: pending goes negative.
        for (const paymentId of paymentsOf.get(refunded.id) ?? []) await refund(refunded, paymentId);
      }
      if (day === 25) {
        await t.http.put('/v1/payout_settings').set(auth(failing)).send({ destination: bankDestination() }).expect(200);
      }
      if (day === 30) {
        const { available } = await balances(t, manual.id);
        const half = (available / 2n / 10_000_000n) * 10_000_000n;
        await t.http
          .post('/v1/payouts')
          .set(auth(manual))
          .send({ amount: formatAmount(half, 'usd'), currency: 'usd' })
          .expect(201);
      }
      if (day === 45) {
        await t.http
          .put('/v1/payout_settings')
          .set(auth(returning))
          .send({ destination: bankDestination() })
          .expect(200);
      }
      await runPayoutClock(t);
      await waitForNoPendingPayouts(t);
      refundedPending.set(dayOf(day), (await balances(t, refunded.id)).pending);
      clockOf(t).advanceDays(1);
    }
  }, 300_000);

  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('ends with a trial balance of zero and stored balances equal to their entries', async () => {
    for (const row of await trialBalance(t)) {
      expect(row).toEqual({ currency: row.currency, posted_difference: '0', pending_difference: '0' });
    }
    expect(await t.app.get(LedgerRepository, { strict: false }).balancesNotMatchingEntries()).toEqual([]);
  });

  it('accounts for every nano each receiver earned: still held, or paid out', async () => {
    for (const receiver of receivers) {
      const b = await balances(t, receiver.id);
      const paidOut = (await payoutsOf(receiver))
        .filter((payout) => payout.status === 'paid')
        .reduce((sum, payout) => sum + parseAmount(payout.amount), 0n);
      expect(b.pending + b.available + b.reserve + b.inTransit + paidOut).toBe(credited.get(receiver.id));
      expect(b.inTransit).toBe(0n);
    }
  });

  it('explains every payout exactly, in JSON and in CSV', async () => {
    const seen = new Set<string>();
    let payouts = 0;
    for (const receiver of receivers) {
      for (const payout of await payoutsOf(receiver)) {
        payouts += 1;
        const report = await t.http.get(`/v1/payouts/${payout.id}/reconciliation`).set(auth(receiver)).expect(200);
        expect(report.body.balanced).toBe(true);
        expect(
          parseAmount(report.body.opening_balance) +
            parseAmount(report.body.lines_total, { allowNegative: true }) -
            parseAmount(report.body.payout_amount),
        ).toBe(parseAmount(report.body.closing_balance));
        for (const line of report.body.lines as Array<{
          type: string;
          ledger_transaction: string;
          gross: string;
          fee: string;
          net: string;
        }>) {
          expect(
            parseAmount(line.gross, { allowNegative: true }) - parseAmount(line.fee, { allowNegative: true }),
          ).toBe(parseAmount(line.net, { allowNegative: true }));
          const key = `${line.type}/${line.ledger_transaction}`;
          expect(seen.has(key)).toBe(false); // each movement belongs to exactly one payout
          seen.add(key);
        }
        const csv = await t.http
          .get(`/v1/payouts/${payout.id}/reconciliation`)
          .set(auth(receiver))
          .set('Accept', 'text/csv')
          .expect('Content-Type', /text\/csv/)
          .expect(200);
        const figures = csvFigures(csv.text);
        expect(figures.opening + figures.lines + figures.payout).toBe(figures.closing);
        expect(figures.lineCount).toBe(report.body.lines.length);
      }
    }
    expect(payouts).toBeGreaterThan(40);
    expect([...seen].some((key) => key.startsWith('payment/'))).toBe(true);
    expect([...seen].some((key) => key.startsWith('refund/'))).toBe(true);
    expect([...seen].some((key) => key.startsWith('reserve_hold/'))).toBe(true);
    expect([...seen].some((key) => key.startsWith('reserve_release/'))).toBe(true);
    expect([...seen].some((key) => key.startsWith('payout_failure/'))).toBe(true);
    expect([...seen].some((key) => key.startsWith('payout_return/'))).toBe(true);
  });

  it('pays a weekly receiver on Fridays only, above its minimum, keeping a rolling reserve', async () => {
    const payouts = (await payoutsOf(weekly)).filter((payout) => payout.automatic);
    expect(payouts.length).toBeGreaterThanOrEqual(7);
    for (const payout of payouts) {
      expect(new Date(`${payout.scheduled_for}T00:00:00Z`).getUTCDay()).toBe(5);
      expect(parseAmount(payout.amount)).toBeGreaterThanOrEqual(20_000_000_000n);
      expect(payout.status).toBe('paid');
    }
    const held: Array<{ unreleased: string }> = await t.app
      .get(DataSource)
      .query(
        `SELECT coalesce(sum(amount), 0)::text AS unreleased FROM reserve_holds WHERE account_id = $1 AND released_at IS NULL`,
        [weekly.id],
      );
    expect((await balances(t, weekly.id)).reserve).toBe(BigInt(held[0].unreleased));
  });

  it('pays a monthly receiver on the 15th only', async () => {
    const payouts = (await payoutsOf(monthly)).filter((payout) => payout.automatic);
    expect(payouts.map((payout) => payout.scheduled_for!.slice(8))).toEqual(payouts.map(() => '15'));
    expect(payouts.length).toBe(2);
  });

  it('pauses after a failed payout until the destination changes, then resumes', async () => {
    const payouts = (await payoutsOf(failing)).reverse();
    expect(payouts[0]).toMatchObject({ status: 'failed', failure_code: 'no_account', returned: false });
    const afterFailure = payouts.slice(1);
    expect(afterFailure.length).toBeGreaterThan(0);
    for (const payout of afterFailure) expect(payout.scheduled_for! >= dayOf(25)).toBe(true);
    expect(afterFailure.every((payout) => payout.status === 'paid')).toBe(true);
  });

  it('returns a payout the bank sent back after paying it, and pauses until the destination changes', async () => {
    const payouts = (await payoutsOf(returning)).reverse();
    expect(payouts[0]).toMatchObject({ status: 'failed', returned: true, failure_code: 'account_closed' });
    const later = payouts.slice(1).filter((payout) => payout.status === 'paid');
    expect(later.length).toBeGreaterThan(0);
    for (const payout of later) expect(payout.scheduled_for! >= dayOf(45)).toBe(true);
  });

  it('holds scheduled payouts back while refunds leave the pending balance negative, and resumes after', async () => {
    const paidOn = new Set((await payoutsOf(refunded)).map((payout) => payout.scheduled_for));
    const inDebt = [...refundedPending].filter(([, pending]) => pending < 0n).map(([day]) => day);
    expect(inDebt.length).toBeGreaterThan(3);
    for (const day of inDebt) expect(paidOn.has(day)).toBe(false);
    expect([...paidOn].some((day) => day! > inDebt[inDebt.length - 1])).toBe(true);
  });

  it('pays a manual receiver only what it asks for', async () => {
    const payouts = await payoutsOf(manual);
    expect(payouts).toHaveLength(1);
    expect(payouts[0]).toMatchObject({ automatic: false, status: 'paid' });
  });

  it("reconciles the local bank's statement with the ledger, and turns every difference into an exception", async () => {
    const period = { from: dayOf(-1), to: dayOf(DAYS + 12) };
    const fetched = await t.http.post('/v1/admin/reconciliation/runs').set(adminAuth).send(period).expect(201);
    expect(fetched.body).toMatchObject({ source: 'provider_api', exceptions_found: 0, exceptions: [] });
    expect(fetched.body.matched).toBe(fetched.body.ledger_lines);
    expect(fetched.body.provider_lines).toBe(fetched.body.ledger_lines);
    expect(fetched.body.matched).toBeGreaterThan(40);

    const statement = await t.http
      .get(`/v1/admin/local_rail/statement.csv?from=${period.from}&to=${period.to}`)
      .set(adminAuth)
      .expect('Content-Type', /text\/csv/)
      .expect(200);
    const imported = await t.http
      .post('/v1/admin/reconciliation/runs')
      .set(adminAuth)
      .send({ ...period, statement_csv: statement.text })
      .expect(201);
    expect(imported.body).toMatchObject({ source: 'statement_file', exceptions_found: 0 });

    // The bank's file disagrees: one amount differs, one payout is missing, one line is unknown to the ledger.
    const [header, changed, dropped, ...rest] = statement.text.trim().split('\n');
    const cells = changed.split(',');
    const tampered = [
      header,
      [...cells.slice(0, 4), `${cells[4]}1`, cells[5]].join(','),
      ...rest,
      `${cells[0]},lbt_unknown,po_unknown,payout,-3.00,usd`,
    ].join('\n');
    const run = await t.http
      .post('/v1/admin/reconciliation/runs')
      .set(adminAuth)
      .send({ ...period, statement_csv: tampered })
      .expect(201);
    expect(run.body.exceptions.map((e: { kind: string }) => e.kind).sort()).toEqual([
      'amount_mismatch',
      'unmatched_ledger_line',
      'unmatched_provider_line',
    ]);
    const mismatch = run.body.exceptions.find((e: { kind: string }) => e.kind === 'amount_mismatch');
    expect(mismatch).toMatchObject({ payout: cells[2], expected_amount: cells[4].replace('-', ''), status: 'open' });
    expect(run.body.exceptions.find((e: { kind: string }) => e.kind === 'unmatched_ledger_line').payout).toBe(
      dropped.split(',')[2],
    );

    const open = await t.http.get('/v1/admin/reconciliation/exceptions?status=open').set(adminAuth).expect(200);
    expect(open.body.data).toHaveLength(3);
    const [{ count }] = await t.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS count FROM events WHERE type = 'reconciliation_exception.created'`);
    expect(count).toBe(3);

    const again = await t.http
      .post('/v1/admin/reconciliation/runs')
      .set(adminAuth)
      .send({ ...period, statement_csv: tampered })
      .expect(201);
    expect(again.body).toMatchObject({ exceptions_found: 3, exceptions: [] });

    const resolved = await t.http
      .post(`/v1/admin/reconciliation/exceptions/${mismatch.id}/resolve`)
      .set(adminAuth)
      .send({ note: 'Typo in the bank file; confirmed with the bank.' })
      .expect(200);
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      resolution_note: 'Typo in the bank file; confirmed with the bank.',
    });
    expect((await t.http.get('/v1/admin/reconciliation/exceptions?status=open').set(adminAuth)).body.data).toHaveLength(
      2,
    );
    const broken = await t.http
      .post('/v1/admin/reconciliation/runs')
      .set(adminAuth)
      .send({ ...period, statement_csv: `${header}\nnot,a,valid,line` })
      .expect(400);
    expect(broken.body.error).toMatchObject({ code: 'invalid_statement', param: 'statement_csv' });
  });
});
