import { randomUUID } from 'node:crypto';
import { parseAmount } from '../../libs/money/src/index.js';
import { Clock } from '../../src/common/clock/clock.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
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
  options: { fee?: string; currency?: string; type?: string } = {},
): Promise<void> {
  const currency = options.currency ?? 'usd';
  const net = parseAmount(amount);
  const fee = parseAmount(options.fee ?? '0');
  const legs = [
    {
      debit: { owner: 'platform', purpose: 'provider_clearing' as const, currency },
      credit: { owner: accountId, purpose: 'pending' as const, currency },
      amount: net,
    },
  ];
  if (fee > 0n) {
    legs.push({
      debit: { owner: 'platform', purpose: 'provider_clearing' as const, currency },
      credit: { owner: 'platform', purpose: 'fees' as const, currency },
      amount: fee,
    });
  }
  const id = `test_${randomUUID()}`;
  await t.app.get(LedgerService).post({
    reference: `test-credit:${id}`,
    type: options.type ?? 'payment',
    sourceType: 'payment',
    sourceId: id,
    legs,
  });
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
