import pg from 'pg';
import { DataSource } from 'typeorm';
import { LedgerService } from '../src/ledger/ledger.service.js';
import { fundWallet, ledgerKey, ledgerOwner, ledgerReference } from './support/ledger-factories.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { TEST_DATABASE_URL } from './support/test-env.js';

const USD = 1_000_000_000n;

/** The guarantees hold against hand-written SQL on a plain connection, not only through LedgerService. */
describe('ledger guarantees in the database', () => {
  let t: TestApp;
  let ledger: LedgerService;
  let db: DataSource;
  let sql: pg.Client;

  beforeAll(async () => {
    t = await startTestApp();
    ledger = t.app.get(LedgerService);
    db = t.app.get(DataSource);
    sql = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await sql.connect();
  });
  afterAll(async () => {
    await sql.end();
    await t.close();
  });

  /**
   * Runs statements in one transaction on the raw connection and returns the SQLSTATE of the failure, if any.
   * Deferred checks run at the end as at a commit, but nothing is committed: every attempt rolls back, so the
   * shared test database keeps balances equal to their entries.
   */
  async function attempt(...statements: Array<[string, unknown[]?]>): Promise<string | null> {
    await sql.query('BEGIN');
    try {
      for (const [text, values] of statements) await sql.query(text, values);
      await sql.query('SET CONSTRAINTS ALL IMMEDIATE');
      return null;
    } catch (error) {
      return (error as { code?: string }).code ?? 'unknown';
    } finally {
      await sql.query('ROLLBACK');
    }
  }

  async function fundedWallet(amount: bigint) {
    const key = ledgerKey(ledgerOwner(), 'wallet');
    await fundWallet(ledger, key, amount);
    return { key, id: await ledger.openAccount(key) };
  }

  const insertTransaction = (id: string, entryCount = 2): [string, unknown[]] => [
    `INSERT INTO ledger_transactions (id, reference_owner, reference, content_hash, kind, type, status, legs,
       entry_count, created_at)
     VALUES ($1, 'raw', $1, '\\x00', 'transfer', 'adjustment', 'posted', '[]', $2, now())`,
    [id, entryCount],
  ];
  const insertEntry = (txId: string, ordinal: number, account: string, direction: string, amount: string) =>
    [
      `INSERT INTO ledger_entries (transaction_id, ordinal, account_id, shard, currency, direction, effect, amount,
         created_at, resulting_debits_pending, resulting_debits_posted, resulting_credits_pending, resulting_credits_posted)
       VALUES ($1, $2, $3, 0, 'usd', $4, 'post', $5, now(), 0, 0, 0, 0)`,
      [txId, ordinal, account, direction, amount],
    ] as [string, unknown[]];

  it('rejects a transaction whose debits and credits differ', async () => {
    const a = await fundedWallet(USD);
    const b = await fundedWallet(USD);
    const id = `ltx_raw_${ledgerReference('u')}`;
    expect(
      await attempt(
        insertTransaction(id),
        insertEntry(id, 0, a.id, 'debit', '100'),
        insertEntry(id, 1, b.id, 'credit', '99'),
      ),
    ).toBe('LDG02');
    const balanced = `ltx_raw_${ledgerReference('b')}`;
    expect(
      await attempt(
        insertTransaction(balanced),
        insertEntry(balanced, 0, a.id, 'debit', '100'),
        insertEntry(balanced, 1, b.id, 'credit', '100'),
      ),
    ).toBeNull();
    const posted = await ledger.post({
      reference: ledgerReference(),
      type: 'payment',
      legs: [{ debit: a.key, credit: b.key, amount: 10n }],
    });
    expect(await attempt(insertEntry(posted.id, 2, a.id, 'debit', '1'))).toBe('LDG02');
    expect(await attempt(insertEntry(`ltx_raw_${ledgerReference('orphan')}`, 0, a.id, 'debit', '1'))).toBe('LDG02');
    const short = `ltx_raw_${ledgerReference('s')}`;
    expect(
      await attempt(
        insertTransaction(short, 3),
        insertEntry(short, 0, a.id, 'debit', '100'),
        insertEntry(short, 1, b.id, 'credit', '100'),
      ),
    ).toBe('LDG02');
  });

  it('rejects entries of zero or negative amounts', async () => {
    const a = await fundedWallet(USD);
    const id = `ltx_raw_${ledgerReference('z')}`;
    expect(await attempt(insertTransaction(id), insertEntry(id, 0, a.id, 'debit', '0'))).toBe('23514');
    expect(await attempt(insertTransaction(id), insertEntry(id, 0, a.id, 'credit', '-5'))).toBe('23514');
  });

  it('commits nothing here: a deferred check also fails at COMMIT', async () => {
    const a = await fundedWallet(USD);
    const id = `ltx_raw_${ledgerReference('c')}`;
    await sql.query('BEGIN');
    for (const [text, values] of [insertTransaction(id, 1), insertEntry(id, 0, a.id, 'debit', '7')]) {
      await sql.query(text, values);
    }
    await expect(sql.query('COMMIT')).rejects.toMatchObject({ code: 'LDG02' });
    expect((await sql.query('SELECT 1 FROM ledger_transactions WHERE id = $1', [id])).rows).toEqual([]);
  });

  it('rejects UPDATE, DELETE and TRUNCATE of entries', async () => {
    const wallet = await fundedWallet(USD);
    expect(await attempt([`UPDATE ledger_entries SET amount = amount + 1 WHERE account_id = $1`, [wallet.id]])).toBe(
      'LDG01',
    );
    expect(await attempt([`DELETE FROM ledger_entries WHERE account_id = $1`, [wallet.id]])).toBe('LDG01');
    expect(await attempt([`TRUNCATE ledger_entries`])).toBe('LDG01');
  });

  it('rejects UPDATE and DELETE of posted transactions, and lets a hold only move out of pending', async () => {
    const wallet = await fundedWallet(5n * USD);
    const posted = await ledger.post({
      reference: ledgerReference(),
      type: 'payment',
      legs: [{ debit: wallet.key, credit: ledgerKey(ledgerOwner(), 'pending'), amount: USD }],
    });
    expect(await attempt([`UPDATE ledger_transactions SET type = 'gift' WHERE id = $1`, [posted.id]])).toBe('LDG01');
    expect(await attempt([`UPDATE ledger_transactions SET status = 'voided' WHERE id = $1`, [posted.id]])).toBe(
      'LDG01',
    );
    expect(await attempt([`DELETE FROM ledger_transactions WHERE id = $1`, [posted.id]])).toBe('LDG01');

    const hold = await ledger.hold({
      reference: ledgerReference(),
      type: 'usage_authorization',
      legs: [{ debit: wallet.key, credit: ledgerKey(ledgerOwner(), 'pending'), amount: USD }],
    });
    expect(await attempt([`UPDATE ledger_transactions SET legs = '[]' WHERE id = $1`, [hold.id]])).toBe('LDG01');
    expect(await attempt([`UPDATE ledger_transactions SET status = 'pending' WHERE id = $1`, [hold.id]])).toBe('LDG01');
    expect(await attempt([`DELETE FROM ledger_transactions WHERE id = $1`, [hold.id]])).toBe('LDG01');
  });

  it('rejects an overdraft written directly, and a change of the floor', async () => {
    const wallet = await fundedWallet(2n * USD);
    expect(
      await attempt([
        `UPDATE ledger_balances SET debits_posted = debits_posted + $2 WHERE account_id = $1`,
        [wallet.id, (2n * USD + 1n).toString()],
      ]),
    ).toBe('23514');
    expect(
      await attempt([
        `UPDATE ledger_balances SET debits_pending = debits_pending + $2 WHERE account_id = $1`,
        [wallet.id, (2n * USD + 1n).toString()],
      ]),
    ).toBe('23514');
    expect(await attempt([`UPDATE ledger_balances SET min_balance = NULL WHERE account_id = $1`, [wallet.id]])).toBe(
      'LDG01',
    );
    expect(await attempt([`UPDATE ledger_accounts SET min_balance = NULL WHERE id = $1`, [wallet.id]])).toBe('LDG01');
    expect(await attempt([`DELETE FROM ledger_balances WHERE account_id = $1`, [wallet.id]])).toBe('LDG01');
    expect((await ledger.balance(wallet.key)).available).toBe(2n * USD);
  });

  it('rejects a second transaction with a taken reference, and a second resolution of a hold', async () => {
    const wallet = await fundedWallet(5n * USD);
    const posted = await ledger.post({
      reference: ledgerReference(),
      type: 'payment',
      legs: [{ debit: wallet.key, credit: ledgerKey(ledgerOwner(), 'pending'), amount: USD }],
    });
    expect(
      await attempt([
        `INSERT INTO ledger_transactions (id, reference_owner, reference, content_hash, kind, type, status, legs,
           entry_count, created_at)
         VALUES ('ltx_dup', $1, $2, '\\x00', 'transfer', 'payment', 'posted', '[]', 0, now())`,
        [posted.referenceOwner, posted.reference],
      ]),
    ).toBe('23505');

    const hold = await ledger.hold({
      reference: ledgerReference(),
      type: 'usage_authorization',
      legs: [{ debit: wallet.key, credit: ledgerKey(ledgerOwner(), 'pending'), amount: USD }],
    });
    await ledger.voidPending(hold.id, { reference: ledgerReference() });
    expect(
      await attempt([
        `INSERT INTO ledger_transactions (id, reference_owner, reference, content_hash, kind, type, status, parent_id,
           legs, entry_count, created_at)
         VALUES ('ltx_second', 'raw', $2, '\\x00', 'post_pending', 'payment', 'posted', $1, '[]', 0, now())`,
        [hold.id, ledgerReference()],
      ]),
    ).toBe('23505');
  });

  it('keeps the trial balance at zero after every attempt above', async () => {
    const rows = await db.query(
      `SELECT a.currency FROM ledger_balances b JOIN ledger_accounts a ON a.id = b.account_id GROUP BY a.currency
       HAVING sum(b.debits_posted) <> sum(b.credits_posted) OR sum(b.debits_pending) <> sum(b.credits_pending)`,
    );
    expect(rows).toEqual([]);
  });
});
