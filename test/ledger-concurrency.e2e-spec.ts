import { DataSource } from 'typeorm';
import { TransactionRunner } from '../src/database/transaction-runner.js';
import { LedgerError } from '../src/ledger/ledger.error.js';
import { LedgerService } from '../src/ledger/ledger.service.js';
import type { LedgerAccountKey, LedgerLeg } from '../src/ledger/ledger.types.js';
import {
  checkLedgerInvariants,
  CLEAN_LEDGER,
  fundWallet,
  ledgerKey,
  ledgerOwner,
  ledgerReference,
} from './support/ledger-factories.js';
import { startTestApp, TestApp } from './support/test-app.js';

const USD = 1_000_000_000n;

/** Concurrent callers on separate pooled connections. */
describe('ledger under concurrency', () => {
  let t: TestApp;
  let ledger: LedgerService;
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestApp({ DATABASE_POOL_SIZE: '24' });
    ledger = t.app.get(LedgerService);
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    try {
      expect(await checkLedgerInvariants(db)).toEqual(CLEAN_LEDGER);
    } finally {
      await t.close();
    }
  });

  function outcomes(results: PromiseSettledResult<unknown>[]) {
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    return {
      fulfilled: results.length - rejected.length,
      rejectedCodes: [
        ...new Set(rejected.map((r) => (r.reason instanceof LedgerError ? r.reason.code : String(r.reason)))),
      ],
    };
  }

  it('lets exactly one of 20 simultaneous debits of 60% of a balance through', async () => {
    const wallet = ledgerKey(ledgerOwner(), 'wallet');
    await fundWallet(ledger, wallet, 100n * USD);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        ledger.post({
          reference: ledgerReference(`debit_${i}`),
          type: 'payment',
          legs: [{ debit: wallet, credit: ledgerKey(ledgerOwner(), 'pending'), amount: 60n * USD }],
        }),
      ),
    );
    expect(outcomes(results)).toEqual({ fulfilled: 1, rejectedCodes: ['insufficient_funds'] });
    expect(await ledger.balance(wallet)).toMatchObject({ posted: 40n * USD, available: 40n * USD });
  });

  it('lets exactly one of a simultaneous post and void of the same hold win', async () => {
    const wallet = ledgerKey(ledgerOwner(), 'wallet');
    const receiver = ledgerKey(ledgerOwner(), 'pending');
    await fundWallet(ledger, wallet, 100n * USD);
    let posted = 0n;
    for (let round = 0; round < 10; round++) {
      const hold = await ledger.hold({
        reference: ledgerReference(),
        type: 'usage_authorization',
        legs: [{ debit: wallet, credit: receiver, amount: 5n * USD }],
      });
      const [post, voided] = await Promise.allSettled([
        ledger.postPending(hold.id, { reference: ledgerReference('post'), amounts: [3n * USD] }),
        ledger.voidPending(hold.id, { reference: ledgerReference('void') }),
      ]);
      expect(outcomes([post, voided])).toEqual({ fulfilled: 1, rejectedCodes: ['transaction_not_pending'] });
      const [{ status }] = await db.query('SELECT status FROM ledger_transactions WHERE id = $1', [hold.id]);
      expect(status).toBe(post.status === 'fulfilled' ? 'posted' : 'voided');
      if (post.status === 'fulfilled') posted += 3n * USD;
    }
    expect(await ledger.balance(wallet)).toMatchObject({ posted: 100n * USD - posted, pending: 0n });
    expect((await ledger.balance(receiver)).posted).toBe(posted);
  });

  it('keeps the books balanced through 1,000 random transfers from 16 workers that all touch one hot account', async () => {
    const currency = 'usd';
    const wallets: LedgerAccountKey[] = Array.from({ length: 10 }, () => ledgerKey(ledgerOwner(), 'wallet', currency));
    const receivers: LedgerAccountKey[] = Array.from({ length: 3 }, () =>
      ledgerKey(ledgerOwner(), 'available', currency),
    );
    // A hot unbounded system account of this test alone (other suites also credit the real platform fees).
    const fees = ledgerKey(ledgerOwner('platform'), 'fees', currency);
    await ledger.openAccount(fees, undefined, { shards: 16 });
    for (const wallet of wallets) await fundWallet(ledger, wallet, 50n * USD);
    const bounded = [...wallets, ...receivers];
    const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)];
    const runner = t.app.get(TransactionRunner);
    const failures: unknown[] = [];
    let succeeded = 0;
    let refused = 0;
    let next = 0;

    async function worker(index: number): Promise<void> {
      while (next < 1000) {
        const n = next++;
        // Several bounded accounts per transaction, in random order, so that lock ordering is what prevents deadlocks.
        const from = pick(bounded);
        let to = pick(bounded);
        while (to === from) to = pick(bounded);
        let third = pick(bounded);
        while (third === from || third === to) third = pick(bounded);
        const amount = BigInt(1 + Math.floor(Math.random() * 3)) * USD;
        const legs: LedgerLeg[] = [
          { debit: from, credit: to, amount },
          { debit: third, credit: from, amount: amount / 2n },
          { debit: from, credit: fees, amount: amount / 100n },
        ];
        const input = { reference: ledgerReference(`random_${n}`), type: 'transfer', legs };
        try {
          // Half the workers move money inside their own database transaction, as use cases do.
          if (index % 2 === 0) await ledger.post(input);
          else await runner.run((manager) => ledger.post(input, manager));
          succeeded++;
        } catch (error) {
          if (error instanceof LedgerError && error.code === 'insufficient_funds') refused++;
          else failures.push(error);
        }
      }
    }

    await Promise.all(Array.from({ length: 16 }, (_, i) => worker(i)));
    expect(failures).toEqual([]);
    expect(succeeded + refused).toBe(1000);
    expect(succeeded).toBeGreaterThan(100);
    const balances = await Promise.all(bounded.map((key) => ledger.balance(key)));
    for (const balance of balances) expect(balance.available).toBeGreaterThanOrEqual(0n);
    const total = balances.reduce((sum, b) => sum + b.posted, 0n);
    expect(total + (await ledger.balance(fees)).posted).toBe(10n * 50n * USD);
    const [{ shards }] = await db.query(
      `SELECT count(DISTINCT shard)::int AS shards FROM ledger_entries WHERE account_id = $1`,
      [await ledger.openAccount(fees)],
    );
    expect(shards).toBeGreaterThan(1);
    expect(await checkLedgerInvariants(db)).toEqual(CLEAN_LEDGER);
  });
});
