import { DataSource } from 'typeorm';
import { TransactionRunner } from '../src/database/transaction-runner.js';
import { LedgerMaintenanceProcessor } from '../src/ledger/ledger-maintenance.processor.js';
import { LedgerError } from '../src/ledger/ledger.error.js';
import { LedgerService } from '../src/ledger/ledger.service.js';
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

describe('LedgerService', () => {
  let t: TestApp;
  let ledger: LedgerService;
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestApp();
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

  function payer() {
    return ledgerKey(ledgerOwner(), 'wallet');
  }

  it('opens an account once, whoever asks first, with the floor of its purpose', async () => {
    const owner = ledgerOwner();
    const ids = await Promise.all(Array.from({ length: 8 }, () => ledger.openAccount(ledgerKey(owner, 'wallet'))));
    expect(new Set(ids).size).toBe(1);
    const [row] = await db.query('SELECT min_balance, normal_balance, shards FROM ledger_accounts WHERE id = $1', [
      ids[0],
    ]);
    expect(row).toEqual({ min_balance: '0', normal_balance: 'credit', shards: 1 });
    const pending = await ledger.openAccount(ledgerKey(owner, 'pending'));
    const [unbounded] = await db.query('SELECT min_balance FROM ledger_accounts WHERE id = $1', [pending]);
    expect(unbounded.min_balance).toBeNull();
  });

  it('refuses to reopen an account with another floor, and honours an explicit floor on creation', async () => {
    const owner = ledgerOwner();
    await ledger.openAccount(ledgerKey(owner, 'wallet'));
    await expect(ledger.openAccount(ledgerKey(owner, 'wallet'), undefined, { floor: null })).rejects.toMatchObject({
      code: 'ledger_account_conflict',
    });
    const credit = ledgerKey(owner, 'pending');
    await ledger.openAccount(credit, undefined, { floor: -5n * USD });
    await ledger.post({
      reference: ledgerReference(),
      type: 'adjustment',
      legs: [{ debit: credit, credit: ledgerKey('platform', 'compensation'), amount: 5n * USD }],
    });
    expect((await ledger.balance(credit)).available).toBe(-5n * USD);
    await expect(
      ledger.post({
        reference: ledgerReference(),
        type: 'adjustment',
        legs: [{ debit: credit, credit: ledgerKey('platform', 'compensation'), amount: 1n }],
      }),
    ).rejects.toMatchObject({ code: 'insufficient_funds', status: 402 });
  });

  it('posts a multi-leg transaction atomically and reports balances', async () => {
    const wallet = payer();
    await fundWallet(ledger, wallet, 10n * USD);
    const receiver = ledgerKey(ledgerOwner(), 'pending');
    const fees = ledgerKey('platform', 'fees');
    const view = await ledger.post({
      reference: ledgerReference('payment'),
      type: 'payment',
      sourceType: 'payment',
      sourceId: 'pay_1',
      legs: [
        { debit: wallet, credit: receiver, amount: 4n * USD },
        { debit: receiver, credit: fees, amount: 12n * 10_000_000n },
      ],
    });
    expect(view).toMatchObject({ status: 'posted', type: 'payment', sourceId: 'pay_1', replayed: false });
    expect(view.id).toMatch(/^ltx_/);
    expect(view.legs).toHaveLength(2);
    expect(await ledger.balance(wallet)).toMatchObject({ posted: 6n * USD, available: 6n * USD, pending: 0n });
    expect(await ledger.balance(receiver)).toMatchObject({ posted: 388n * 10_000_000n });
  });

  it('refuses an overdraft and writes nothing', async () => {
    const wallet = payer();
    await fundWallet(ledger, wallet, 1n * USD);
    const walletId = await ledger.openAccount(wallet);
    const rowsOf = () =>
      db.query(
        `SELECT b.*, (SELECT count(*) FROM ledger_entries e WHERE e.account_id = b.account_id) AS entries
         FROM ledger_balances b WHERE b.account_id = $1`,
        [walletId],
      );
    const before = await rowsOf();
    const reference = ledgerReference();
    await expect(
      ledger.post({
        reference,
        type: 'payment',
        legs: [{ debit: wallet, credit: ledgerKey(ledgerOwner(), 'pending'), amount: USD + 1n }],
      }),
    ).rejects.toMatchObject({ code: 'insufficient_funds', status: 402 });
    expect(await rowsOf()).toEqual(before);
    expect(await db.query('SELECT 1 FROM ledger_transactions WHERE reference = $1', [reference])).toEqual([]);
    expect((await ledger.balance(wallet)).available).toBe(USD);
  });

  it('replays the first result for the same reference and content, and refuses other content', async () => {
    const wallet = payer();
    await fundWallet(ledger, wallet, 5n * USD);
    const receiver = ledgerKey(ledgerOwner(), 'pending');
    const input = {
      reference: ledgerReference('payment'),
      type: 'payment',
      legs: [{ debit: wallet, credit: receiver, amount: 2n * USD }],
    };
    const first = await ledger.post(input);
    const again = await ledger.post(input);
    expect(again).toEqual({ ...first, replayed: true });
    await expect(
      ledger.post({ ...input, legs: [{ debit: wallet, credit: receiver, amount: 3n * USD }] }),
    ).rejects.toMatchObject({ code: 'idempotency_conflict', status: 409 });
    expect((await ledger.balance(wallet)).available).toBe(3n * USD);
  });

  it('replays a spend even when the wallet can no longer afford it', async () => {
    const wallet = payer();
    await fundWallet(ledger, wallet, 2n * USD);
    const input = {
      reference: ledgerReference(),
      type: 'payment',
      legs: [{ debit: wallet, credit: ledgerKey(ledgerOwner(), 'pending'), amount: 2n * USD }],
    };
    const first = await ledger.post(input);
    expect((await ledger.post(input)).id).toBe(first.id);
  });

  it('holds, posts part of a hold and releases the rest', async () => {
    const wallet = payer();
    await fundWallet(ledger, wallet, 10n * USD);
    const receiver = ledgerKey(ledgerOwner(), 'pending');
    const hold = await ledger.hold({
      reference: ledgerReference('authorization'),
      type: 'usage_authorization',
      legs: [{ debit: wallet, credit: receiver, amount: 6n * USD }],
    });
    expect(hold.status).toBe('pending');
    expect(await ledger.balance(wallet)).toMatchObject({ posted: 10n * USD, pending: 6n * USD, available: 4n * USD });
    await expect(
      ledger.postPending(hold.id, { reference: ledgerReference(), amounts: [7n * USD] }),
    ).rejects.toMatchObject({ code: 'amount_exceeds_hold' });
    const posted = await ledger.postPending(hold.id, { reference: ledgerReference('capture'), amounts: [2n * USD] });
    expect(posted).toMatchObject({ status: 'posted', parentId: hold.id });
    expect(posted.legs[0].amount).toBe(2n * USD);
    expect(await ledger.balance(wallet)).toMatchObject({ posted: 8n * USD, pending: 0n, available: 8n * USD });
    expect((await ledger.balance(receiver)).posted).toBe(2n * USD);
    await expect(ledger.voidPending(hold.id, { reference: ledgerReference() })).rejects.toMatchObject({
      code: 'transaction_not_pending',
    });
  });

  it('writes many posts and holds in one round trip, each its own transaction, or none of them', async () => {
    const wallets = [payer(), payer()];
    for (const wallet of wallets) await fundWallet(ledger, wallet, 5n * USD);
    const receiver = ledgerKey(ledgerOwner(), 'pending');
    const fees = ledgerKey('platform', 'fees');
    const transactions = t.app.get(TransactionRunner);
    const views = await transactions.run((manager) =>
      ledger.transferMany(
        [
          {
            kind: 'transfer',
            input: {
              reference: ledgerReference('payment'),
              type: 'payment',
              legs: [
                { debit: wallets[0], credit: receiver, amount: 2n * USD },
                { debit: wallets[0], credit: fees, amount: USD },
              ],
            },
          },
          {
            kind: 'hold',
            input: {
              reference: ledgerReference('payment'),
              type: 'payment',
              legs: [{ debit: wallets[1], credit: receiver, amount: 4n * USD }],
            },
          },
        ],
        manager,
      ),
    );
    expect(views.map((view) => view.status)).toEqual(['posted', 'pending']);
    expect(new Set(views.map((view) => view.id)).size).toBe(2);
    expect(await ledger.balance(wallets[0])).toMatchObject({ posted: 2n * USD, available: 2n * USD });
    expect(await ledger.balance(wallets[1])).toMatchObject({ posted: 5n * USD, available: USD });
    expect((await ledger.balance(receiver)).posted).toBe(2n * USD);

    // One overdraft refuses the whole batch: the caller's transaction rolls back, and nothing moved.
    const refused = ledgerReference('payment');
    await expect(
      transactions.run((manager) =>
        ledger.transferMany(
          [
            {
              kind: 'transfer',
              input: {
                reference: refused,
                type: 'payment',
                legs: [{ debit: wallets[0], credit: receiver, amount: USD }],
              },
            },
            {
              kind: 'transfer',
              input: {
                reference: ledgerReference('payment'),
                type: 'payment',
                legs: [{ debit: wallets[1], credit: receiver, amount: 2n * USD }],
              },
            },
          ],
          manager,
        ),
      ),
    ).rejects.toMatchObject({ code: 'insufficient_funds' });
    expect(await db.query('SELECT 1 FROM ledger_transactions WHERE reference = $1', [refused])).toEqual([]);
    expect(await ledger.balance(wallets[0])).toMatchObject({ posted: 2n * USD, available: 2n * USD });

    // Posting holds in a batch: a pending hold is posted; one posted before is answered as a replay.
    const again = ledgerReference('capture');
    const first = await ledger.postPending(views[1].id, { reference: again });
    const hold = await ledger.hold({
      reference: ledgerReference('payout'),
      type: 'payout',
      legs: [{ debit: wallets[0], credit: receiver, amount: USD }],
    });
    const posted = await transactions.run((manager) =>
      ledger.postPendingMany(
        [
          { transactionId: views[1].id, reference: again },
          { transactionId: hold.id, reference: ledgerReference('capture') },
        ],
        manager,
      ),
    );
    expect(posted[0]).toMatchObject({ id: first.id, replayed: true });
    expect(posted[1]).toMatchObject({ status: 'posted', parentId: hold.id, replayed: false });
    expect(await ledger.balance(wallets[0])).toMatchObject({ posted: USD, pending: 0n, available: USD });
    expect(await ledger.balance(wallets[1])).toMatchObject({ posted: USD, pending: 0n, available: USD });
    expect((await ledger.balance(receiver)).posted).toBe(7n * USD);
  });

  it('plans a batch with its ids known before anything is written, and applies it alongside other writes', async () => {
    const wallet = payer();
    await fundWallet(ledger, wallet, 5n * USD);
    const receiver = ledgerKey(ledgerOwner(), 'pending');
    const transactions = t.app.get(TransactionRunner);
    const transfer = (amount: bigint) => ({
      kind: 'transfer' as const,
      input: {
        reference: ledgerReference('payment'),
        type: 'payment',
        legs: [{ debit: wallet, credit: receiver, amount }],
      },
    });

    const views = await transactions.run(async (manager) => {
      const prepared = await ledger.prepareMany([transfer(USD), transfer(2n * USD)], manager);
      expect(prepared.ids).toHaveLength(2);
      const [written] = await manager.query('SELECT count(*)::int AS n FROM ledger_transactions WHERE id = ANY($1)', [
        prepared.ids,
      ]);
      expect(written.n).toBe(0);
      // The caller's own row, naming the planned ids, goes out in the same burst as the posting.
      const [applied, [echo]] = await Promise.all([
        prepared.apply(),
        manager.query('SELECT $1::text[] AS ids', [prepared.ids]),
      ]);
      expect(echo.ids).toEqual(prepared.ids);
      return applied;
    });
    expect(views.map((view) => view.id)).toEqual(
      (await db.query('SELECT id FROM ledger_transactions WHERE id = ANY($1) ORDER BY id', [views.map((v) => v.id)]))
        .map((row: { id: string }) => row.id)
        .sort((a: string, b: string) => views.findIndex((v) => v.id === a) - views.findIndex((v) => v.id === b)),
    );
    expect(await ledger.balance(wallet)).toMatchObject({ posted: 2n * USD, available: 2n * USD });

    // An overdraft found by apply() rolls back the writes issued with it.
    const marker = ledgerReference('marker');
    await expect(
      transactions.run(async (manager) => {
        const prepared = await ledger.prepareMany([transfer(3n * USD)], manager);
        await Promise.all([
          prepared.apply(),
          manager.query(
            `INSERT INTO ledger_transactions (id) SELECT $1 WHERE false`, // nothing, but in the same transaction
            [marker],
          ),
          ledger.hold(
            { reference: marker, type: 'payment', legs: [{ debit: wallet, credit: receiver, amount: USD }] },
            manager,
          ),
        ]);
      }),
    ).rejects.toMatchObject({ code: 'insufficient_funds' });
    expect(await db.query('SELECT 1 FROM ledger_transactions WHERE reference = $1', [marker])).toEqual([]);
    expect(await ledger.balance(wallet)).toMatchObject({ posted: 2n * USD, available: 2n * USD });
  });

  it('voids a hold and expires overdue holds once', async () => {
    const wallet = payer();
    await fundWallet(ledger, wallet, 10n * USD);
    const receiver = ledgerKey(ledgerOwner(), 'pending');
    const voided = await ledger.hold({
      reference: ledgerReference(),
      type: 'usage_authorization',
      legs: [{ debit: wallet, credit: receiver, amount: 3n * USD }],
    });
    const reference = ledgerReference('void');
    const result = await ledger.voidPending(voided.id, { reference });
    expect(result.status).toBe('voided');
    expect((await ledger.voidPending(voided.id, { reference })).replayed).toBe(true);
    const overdue = await ledger.hold({
      reference: ledgerReference(),
      type: 'usage_authorization',
      expiresAt: new Date(Date.now() - 1000),
      legs: [{ debit: wallet, credit: receiver, amount: 4n * USD }],
    });
    expect((await ledger.balance(wallet)).available).toBe(6n * USD);
    await ledger.expirePending();
    await ledger.expirePending();
    const [row] = await db.query('SELECT status FROM ledger_transactions WHERE id = $1', [overdue.id]);
    expect(row.status).toBe('expired');
    expect((await ledger.expireHold(overdue.id)).replayed).toBe(true);
    expect(await ledger.balance(wallet)).toMatchObject({ available: 10n * USD, pending: 0n });
    await expect(ledger.postPending(overdue.id, { reference: ledgerReference() })).rejects.toMatchObject({
      code: 'transaction_not_pending',
    });
  });

  it('has the maintenance job expire overdue holds and leave the others pending', async () => {
    const wallet = payer();
    await fundWallet(ledger, wallet, 10n * USD);
    const hold = (expiresAt: Date) =>
      ledger.hold({
        reference: ledgerReference(),
        type: 'usage_authorization',
        expiresAt,
        legs: [{ debit: wallet, credit: ledgerKey(ledgerOwner(), 'pending'), amount: 2n * USD }],
      });
    const overdue = await hold(new Date(Date.now() - 1));
    const later = await hold(new Date(Date.now() + 3_600_000));
    await t.app.get(LedgerMaintenanceProcessor).process();
    const statuses = await db.query('SELECT id, status FROM ledger_transactions WHERE id = ANY($1) ORDER BY id', [
      [overdue.id, later.id],
    ]);
    expect(Object.fromEntries(statuses.map((r: { id: string; status: string }) => [r.id, r.status]))).toEqual({
      [overdue.id]: 'expired',
      [later.id]: 'pending',
    });
    expect(await ledger.balance(wallet)).toMatchObject({ available: 8n * USD, pending: 2n * USD });
  });

  it('reverses a posted transaction partially, then the rest, and never more', async () => {
    const wallet = payer();
    await fundWallet(ledger, wallet, 10n * USD);
    const receiver = ledgerKey(ledgerOwner(), 'pending');
    const fees = ledgerKey('platform', 'fees');
    const payment = await ledger.post({
      reference: ledgerReference(),
      type: 'payment',
      sourceType: 'payment',
      sourceId: 'pay_2',
      legs: [
        { debit: wallet, credit: receiver, amount: 5n * USD },
        { debit: receiver, credit: fees, amount: USD },
      ],
    });
    const refund = await ledger.reverse(payment.id, {
      reference: ledgerReference('refund'),
      type: 'refund',
      amounts: [2n * USD, 0n],
    });
    expect(refund).toMatchObject({ status: 'posted', parentId: payment.id, type: 'refund', sourceId: 'pay_2' });
    expect(refund.legs).toEqual([
      {
        debitAccountId: payment.legs[0].creditAccountId,
        creditAccountId: payment.legs[0].debitAccountId,
        amount: 2n * USD,
      },
    ]);
    await expect(
      ledger.reverse(payment.id, { reference: ledgerReference(), amounts: [4n * USD, 0n] }),
    ).rejects.toMatchObject({ code: 'amount_exceeds_reversible' });
    const rest = await ledger.reverse(payment.id, { reference: ledgerReference() });
    expect(rest.legs.map((l) => l.amount)).toEqual([3n * USD, USD]);
    expect((await ledger.balance(wallet)).available).toBe(10n * USD);
    expect((await ledger.balance(receiver)).posted).toBe(0n);
    await expect(ledger.reverse(payment.id, { reference: ledgerReference() })).rejects.toMatchObject({
      code: 'transaction_not_reversible',
    });
  });

  it('refuses to reverse a pending hold and reverses the posting of a posted one', async () => {
    const wallet = payer();
    await fundWallet(ledger, wallet, 10n * USD);
    const hold = await ledger.hold({
      reference: ledgerReference(),
      type: 'usage_authorization',
      legs: [{ debit: wallet, credit: ledgerKey(ledgerOwner(), 'pending'), amount: 4n * USD }],
    });
    await expect(ledger.reverse(hold.id, { reference: ledgerReference() })).rejects.toMatchObject({
      code: 'transaction_not_reversible',
    });
    const posting = await ledger.postPending(hold.id, { reference: ledgerReference(), amounts: [3n * USD] });
    const reversal = await ledger.reverse(hold.id, { reference: ledgerReference() });
    expect(reversal.parentId).toBe(posting.id);
    expect((await ledger.balance(wallet)).available).toBe(10n * USD);
  });

  it('moves money inside the caller transaction, and a refusal leaves that transaction usable', async () => {
    const runner = t.app.get(TransactionRunner);
    const wallet = payer();
    await fundWallet(ledger, wallet, 3n * USD);
    const receiver = ledgerKey(ledgerOwner(), 'pending');
    const outcome = await runner.run(async (manager) => {
      await ledger.post(
        { reference: ledgerReference(), type: 'payment', legs: [{ debit: wallet, credit: receiver, amount: USD }] },
        manager,
      );
      const refused = await ledger
        .post(
          {
            reference: ledgerReference(),
            type: 'payment',
            legs: [{ debit: wallet, credit: receiver, amount: 5n * USD }],
          },
          manager,
        )
        .catch((error: LedgerError) => error.code);
      const [{ ok }] = await manager.query('SELECT 1 AS ok');
      return { refused, ok };
    });
    expect(outcome).toEqual({ refused: 'insufficient_funds', ok: 1 });
    expect((await ledger.balance(wallet)).available).toBe(2n * USD);

    await expect(
      runner.run(async (manager) => {
        await ledger.post(
          { reference: ledgerReference(), type: 'payment', legs: [{ debit: wallet, credit: receiver, amount: USD }] },
          manager,
        );
        throw new Error('the caller fails after the ledger call');
      }),
    ).rejects.toThrow('the caller fails');
    expect((await ledger.balance(wallet)).available).toBe(2n * USD);
  });

  it('heals after an account created in a rolled-back caller transaction', async () => {
    const runner = t.app.get(TransactionRunner);
    const wallet = payer();
    await expect(
      runner.run(async (manager) => {
        await ledger.openAccount(wallet, manager);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await fundWallet(ledger, wallet, USD);
    expect((await ledger.balance(wallet)).available).toBe(USD);
  });

  it('reads a balance as of a past instant and pages entries with resulting balances', async () => {
    const wallet = payer();
    expect((await ledger.balance(wallet)).posted).toBe(0n);
    await fundWallet(ledger, wallet, 5n * USD);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const between = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await ledger.post({
      reference: ledgerReference(),
      type: 'payment',
      legs: [{ debit: wallet, credit: ledgerKey(ledgerOwner(), 'pending'), amount: 2n * USD }],
    });
    expect((await ledger.balanceAsOf(wallet, between)).posted).toBe(5n * USD);
    expect((await ledger.balanceAsOf(wallet, new Date())).posted).toBe(3n * USD);
    expect((await ledger.balanceAsOf(wallet, new Date(0))).posted).toBe(0n);

    const accountId = await ledger.openAccount(wallet);
    const first = await ledger.entries(accountId, { limit: 1 });
    expect(first.hasMore).toBe(true);
    expect(first.data[0]).toMatchObject({ direction: 'debit', amount: 2n * USD, resultingPosted: 3n * USD });
    const second = await ledger.entries(accountId, { limit: 1, startingAfter: first.data[0].id });
    expect(second).toMatchObject({ hasMore: false, data: [{ direction: 'credit', resultingPosted: 5n * USD }] });
  });

  it('sums the shards of a hot platform account', async () => {
    const currency = 'eur';
    const fees = ledgerKey('platform', 'fees', currency);
    const wallet = ledgerKey(ledgerOwner(), 'wallet', currency);
    await fundWallet(ledger, wallet, 100n);
    const before = (await ledger.balance(fees)).posted;
    for (let i = 0; i < 20; i++) {
      await ledger.post({
        reference: ledgerReference(),
        type: 'payment_fee',
        legs: [{ debit: wallet, credit: fees, amount: 1n }],
      });
    }
    expect((await ledger.balance(fees)).posted - before).toBe(20n);
    const [{ shards }] = await db.query(
      `SELECT count(DISTINCT e.shard)::int AS shards FROM ledger_entries e
       JOIN ledger_accounts a ON a.id = e.account_id WHERE a.owner = 'platform' AND a.purpose = 'fees' AND a.currency = $1`,
      [currency],
    );
    expect(shards).toBeGreaterThan(1);
  });

  it('rejects malformed legs before touching the database', async () => {
    const wallet = payer();
    const base = { reference: ledgerReference(), type: 'payment' };
    await expect(ledger.post({ ...base, legs: [] })).rejects.toMatchObject({ code: 'invalid_legs' });
    await expect(
      ledger.post({ ...base, legs: [{ debit: wallet, credit: ledgerKey('x', 'pending'), amount: 0n }] }),
    ).rejects.toMatchObject({ code: 'invalid_amount' });
    await expect(
      ledger.post({ ...base, legs: [{ debit: wallet, credit: ledgerKey('x', 'pending', 'eur'), amount: 1n }] }),
    ).rejects.toMatchObject({ code: 'currency_mismatch' });
    await expect(ledger.post({ ...base, legs: [{ debit: wallet, credit: wallet, amount: 1n }] })).rejects.toMatchObject(
      {
        code: 'invalid_legs',
      },
    );
  });
});
