import { DataSource } from 'typeorm';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import type { LedgerAccountPurpose } from '../../src/ledger/ledger.types.js';
import { auth, signUp, signUpVerifiedReceiver, type TestAccount } from './factories.js';
import type { TestApp } from './test-app.js';

/** A payer account (pay capability only) with `amount` topped up on the local rail. */
export async function fundedPayer(t: TestApp, amount = '100.00', currency = 'usd'): Promise<TestAccount> {
  const payer = await signUp(t, { capabilities: ['pay'] });
  if (amount !== '0') await topUp(t, payer, amount, currency);
  return payer;
}

export async function topUp(t: TestApp, payer: TestAccount, amount: string, currency = 'usd') {
  const response = await t.http.post('/v1/wallet/top_ups').set(auth(payer)).send({ amount, currency }).expect(201);
  return response.body;
}

export interface MandateTerms {
  payee?: string;
  allowed_payees?: string[];
  currency?: string;
  max_amount_per_payment?: string;
  max_amount_per_day?: string;
  total_budget?: string;
  confirmation_threshold?: string;
  expires_at?: number;
  agent?: string;
  metadata?: Record<string, string>;
}

export async function grantMandate(t: TestApp, payer: TestAccount, terms: MandateTerms) {
  const response = await t.http
    .post('/v1/mandates')
    .set(auth(payer))
    .send({ currency: 'usd', description: 'Pay for API calls made by my agent.', ...terms })
    .expect(201);
  return response.body;
}

export async function charge(
  t: TestApp,
  receiver: TestAccount,
  mandate: string,
  amount: string,
  extra: Record<string, unknown> = {},
) {
  const response = await t.http
    .post('/v1/payments')
    .set(auth(receiver))
    .send({ mandate, amount, currency: 'usd', ...extra })
    .expect(201);
  return response.body;
}

/** A payer with a funded wallet, a verified receiver and a mandate between them. */
export async function payerReceiverMandate(t: TestApp, terms: MandateTerms = {}, funds = '100.00') {
  const payer = await fundedPayer(t, funds);
  const receiver = await signUpVerifiedReceiver(t);
  const mandate = await grantMandate(t, payer, { payee: receiver.id, ...terms });
  return { payer, receiver, mandate };
}

/** Ledger balance (nanos) of an account, as the finance view would read it. */
export async function ledgerBalance(
  t: TestApp,
  owner: string,
  purpose: LedgerAccountPurpose,
  currency = 'usd',
): Promise<{ posted: bigint; pending: bigint; available: bigint }> {
  const balance = await t.app.get(LedgerService).balance({ owner, purpose, currency });
  return { posted: balance.posted, pending: balance.pending, available: balance.available };
}

export async function walletOf(t: TestApp, payer: TestAccount, currency = 'usd') {
  const wallet = await t.http.get('/v1/wallet').set(auth(payer)).expect(200);
  return wallet.body.balances.find((b: { currency: string }) => b.currency === currency) ?? null;
}

/**
 * The entries of the ledger transaction recorded on a row of `table` (top_ups, payments, refunds), so a test
 * can check where the money went without reading shared platform balances that other suites move too.
 */
export async function ledgerEntriesOf(t: TestApp, table: 'top_ups' | 'payments' | 'refunds', id: string) {
  const rows: Array<{ direction: string; owner: string; purpose: string; amount: string }> = await t.app
    .get(DataSource)
    .query(
      `SELECT e.direction, a.owner, a.purpose, e.amount FROM ${table} x
         JOIN ledger_entries e ON e.transaction_id = x.ledger_transaction_id
         JOIN ledger_accounts a ON a.id = e.account_id
        WHERE x.id = $1 ORDER BY e.ordinal`,
      [id],
    );
  return rows.map((row) => ({ ...row, amount: BigInt(row.amount) }));
}
