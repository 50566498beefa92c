import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { parseAmount } from '../../libs/money/src/index.js';
import { Clock } from '../../src/common/clock/clock.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import type { LedgerLeg } from '../../src/ledger/ledger.types.js';
import { adminAuth, auth, signUpVerifiedReceiver, TestAccount } from './factories.js';
import type { TestApp } from './test-app.js';

/** The local rail's test bank numbers (see LOCAL_RAIL_FAILING_ACCOUNTS and LOCAL_RAIL_RETURNING_ACCOUNTS). */
export const BANK = {
  ok: '000123456789',
  noAccount: '000111111116',
  returned: '000555555559',
};

export function bankDestination(accountNumber: string = BANK.ok) {
  return {
    type: 'bank_account',
    account_holder_name: 'Test Receiver',
    account_number: accountNumber,
    routing_number: '110000000',
    country: 'US',
    currency: 'usd',
  };
}

/** A verified receiver with a bank account on the local rail and the given schedule (manual unless told). */
export async function payoutReceiver(
  t: TestApp,
  options: { accountNumber?: string; schedule?: object; settlementDelayDays?: number } = {},
): Promise<TestAccount> {
  const receiver = await signUpVerifiedReceiver(t);
  await t.http
    .put('/v1/payout_settings')
    .set(auth(receiver))
    .send({ destination: bankDestination(options.accountNumber), schedule: options.schedule ?? { interval: 'manual' } })
    .expect(200);
  if (options.settlementDelayDays !== undefined) {
    await t.http
      .put(`/v1/admin/accounts/${receiver.id}/payout_settings`)
      .set(adminAuth)
      .send({ settlement_delay_days: options.settlementDelayDays })
      .expect(200);
  }
  return receiver;
}

/**
 * Money the provider collected for the receiver, credited to its pending balance as a payment would be
 * (provider_clearing → pending, gross with a platform fee).
 */
export async function creditPending(
  t: TestApp,
  accountId: string,
  amount: string,
  options: { fee?: string; currency?: string; type?: string; manager?: EntityManager } = {},
): Promise<void> {
  const currency = options.currency ?? 'usd';
  const net = parseAmount(amount);
  const fee = parseAmount(options.fee ?? '0');
  const legs: LedgerLeg[] = [
    {
      debit: { owner: 'platform', purpose: 'provider_clearing', currency },
      credit: { owner: accountId, purpose: 'pending', currency },
      amount: net,
    },
  ];
  if (fee > 0n) {
    legs.push({
      debit: { owner: 'platform', purpose: 'provider_clearing', currency },
      credit: { owner: 'platform', purpose: 'fees', currency },
      amount: fee,
    });
  }
  const id = `test_${randomUUID()}`;
  await t.app.get(LedgerService).post(
    {
      reference: `test-credit:${id}`,
      type: options.type ?? 'payment',
      sourceType: 'payment',
      sourceId: id,
      legs,
    },
    options.manager,
  );
}

/**
 * Credits pending in a transaction of its own that stays open while `during` runs (given a query on that
 * transaction), and commits after it: a movement written before `during` and committed only after it.
 */
export async function creditPendingCommittedLater(
  t: TestApp,
  accountId: string,
  amount: string,
  during: (query: (sql: string) => Promise<Array<Record<string, Date>>>) => Promise<void>,
): Promise<void> {
  const runner = t.app.get(DataSource).createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await creditPending(t, accountId, amount, { manager: runner.manager });
    await during((sql) => runner.query(sql));
    await runner.commitTransaction();
  } finally {
    await runner.release();
  }
}

/** A refund taken from the receiver's pending balance (it may go negative). */
export async function debitPending(t: TestApp, accountId: string, amount: string, currency = 'usd'): Promise<void> {
  const id = `test_${randomUUID()}`;
  await t.app.get(LedgerService).post({
    reference: `test-refund:${id}`,
    type: 'refund',
    sourceType: 'refund',
    sourceId: id,
    legs: [
      {
        debit: { owner: accountId, purpose: 'pending', currency },
        credit: { owner: 'platform', purpose: 'provider_clearing', currency },
        amount: parseAmount(amount),
      },
    ],
  });
}

/** Runs the payout clock once (settlement, reserve releases, rail updates, scheduled payouts). */
export async function runPayoutClock(t: TestApp): Promise<Record<string, number>> {
  const response = await t.http.post('/v1/admin/payout_runs').set(adminAuth).expect(200);
  return response.body;
}

export function clockOf(t: TestApp): Clock {
  return t.app.get(Clock);
}

/** Credits pending and settles it right away (settlement delay 0 must be set on the receiver). */
export async function fundAvailable(t: TestApp, account: TestAccount, amount: string): Promise<void> {
  await creditPending(t, account.id, amount);
  await runPayoutClock(t);
}

export async function balances(
  t: TestApp,
  accountId: string,
  currency = 'usd',
): Promise<{ pending: bigint; available: bigint; reserve: bigint; inTransit: bigint }> {
  const ledger = t.app.get(LedgerService);
  const of = async (purpose: 'pending' | 'available' | 'reserve' | 'payout_in_transit') =>
    ledger.balance({ owner: accountId, purpose, currency });
  const [pending, available, reserve, inTransit] = await Promise.all([
    of('pending'),
    of('available'),
    of('reserve'),
    of('payout_in_transit'),
  ]);
  return {
    pending: pending.posted,
    available: available.available,
    reserve: reserve.posted,
    inTransit: inTransit.posted + inTransit.creditsPending,
  };
}

/** Polls a payout until its status is one of `statuses` (the worker runs asynchronously). */
export async function waitForPayout(
  t: TestApp,
  account: TestAccount,
  payoutId: string,
  statuses: string[],
  timeoutMs = 20_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await t.http.get(`/v1/payouts/${payoutId}`).set(auth(account)).expect(200);
    if (statuses.includes(response.body.status)) return response.body;
    if (Date.now() > deadline) {
      throw new Error(`Payout ${payoutId} is still ${response.body.status}; expected ${statuses.join(' or ')}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the workers have handed every pending payout to the rail. */
export async function waitForNoPendingPayouts(t: TestApp, timeoutMs = 30_000): Promise<void> {
  const dataSource = t.app.get(DataSource);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = (await dataSource.query(`SELECT count(*)::int AS n FROM payouts WHERE status = 'pending'`)) as Array<{
      n: number;
    }>;
    if (row.n === 0) return;
    if (Date.now() > deadline) throw new Error(`${row.n} payouts are still pending.`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Σ debits = Σ credits per currency, posted and pending apart, over every ledger account. */
export async function trialBalance(
  t: TestApp,
): Promise<Array<{ currency: string; posted_difference: string; pending_difference: string }>> {
  return t.app.get(DataSource).query(
    `SELECT a.currency,
            (sum(b.debits_posted) - sum(b.credits_posted))::text AS posted_difference,
            (sum(b.debits_pending) - sum(b.credits_pending))::text AS pending_difference
       FROM ledger_accounts a JOIN ledger_balances b ON b.account_id = a.id
      GROUP BY a.currency ORDER BY a.currency`,
  );
}

function csvCells(row: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < row.length; i++) {
    const char = row[i];
    if (quoted) {
      if (char === '"' && row[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells;
}

/** The figures of a payout reconciliation CSV: opening row, line rows, payout row, closing row (net column). */
export function csvFigures(csv: string): {
  opening: bigint;
  lines: bigint;
  lineCount: number;
  payout: bigint;
  closing: bigint;
} {
  const rows = csv
    .trim()
    .split('\n')
    .slice(1)
    .map(csvCells)
    .map((cells) => ({ type: cells[0], net: parseAmount(cells[9], { allowNegative: true }) }));
  const [opening, ...rest] = rows;
  const closing = rest.pop()!;
  const payout = rest.pop()!;
  if (opening.type !== 'opening_balance' || payout.type !== 'payout' || closing.type !== 'closing_balance') {
    throw new Error('The reconciliation CSV does not start with the opening balance and end with payout and closing.');
  }
  return {
    opening: opening.net,
    lines: rest.reduce((sum, row) => sum + row.net, 0n),
    lineCount: rest.length,
    payout: payout.net,
    closing: closing.net,
  };
}
