import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { NormalBalance } from './ledger-chart.js';
import type { EntryDirection, EntryEffect, StoredLeg, WritePlanParams } from './ledger-write-plan.js';
import type { LedgerAccountKey, LedgerAccountPurpose, LedgerTransactionStatus } from './ledger.types.js';

export interface LedgerAccountRecord {
  id: string;
  key: LedgerAccountKey;
  normalBalance: NormalBalance;
  floor: bigint | null;
  shards: number;
  createdAt: Date;
}

export interface NewLedgerAccount {
  id: string;
  key: LedgerAccountKey;
  normalBalance: NormalBalance;
  floor: bigint | null;
  shards: number;
}

export type TransactionKind = 'transfer' | 'hold' | 'post_pending' | 'void_pending' | 'expire_pending' | 'reversal';

export interface LedgerTransactionRecord {
  id: string;
  referenceOwner: string;
  reference: string;
  contentHash: Buffer;
  kind: TransactionKind;
  type: string;
  status: LedgerTransactionStatus;
  parentId: string | null;
  sourceType: string | null;
  sourceId: string | null;
  description: string | null;
  metadata: Record<string, string> | null;
  requestId: string | null;
  legs: StoredLeg[];
  expiresAt: Date | null;
  createdAt: Date;
  resolvedAt: Date | null;
}

export interface ApplyTransaction {
  id: string;
  referenceOwner: string;
  reference: string;
  contentHash: Buffer;
  kind: TransactionKind;
  type: string;
  status: LedgerTransactionStatus;
  parentId: string | null;
  /** Moves the parent hold from pending to this status in the same statement. */
  parentStatus: LedgerTransactionStatus | null;
  sourceType: string | null;
  sourceId: string | null;
  description: string | null;
  metadata: Record<string, string> | null;
  requestId: string | null;
  legs: StoredLeg[];
  expiresAt: Date | null;
}

export type ApplyResult =
  | { result: 'applied'; createdAt: Date }
  | { result: 'exists' | 'parent_not_pending' | 'missing_balance' }
  | { result: 'insufficient_funds'; shortAccounts: string[] };

export interface BalanceCounters {
  debitsPending: bigint;
  debitsPosted: bigint;
  creditsPending: bigint;
  creditsPosted: bigint;
}

export interface EntryRecord extends BalanceCounters {
  transactionId: string;
  ordinal: number;
  accountId: string;
  shard: number;
  currency: string;
  direction: EntryDirection;
  effect: EntryEffect;
  amount: bigint;
  createdAt: Date;
}

/**
 * Position in an account's entry stream, newest first: (created_at, transaction_id, ordinal) descending.
 * The time is PostgreSQL's own text: a Date would drop its microseconds and skip or repeat entries.
 */
export interface EntryCursor {
  createdAt: string;
  transactionId: string;
  ordinal: number;
}

/** The posted entries of one transaction on one account shard: a line of the account's statement. */
export interface PostedLineRecord {
  accountId: string;
  transactionId: string;
  createdAt: Date;
  /** Ordinal of the line's first entry: with the transaction id, the line's stable id. */
  ordinal: number;
  credits: bigint;
  debits: bigint;
  resultingCreditsPosted: bigint;
  resultingDebitsPosted: bigint;
}

/** Position in a statement, newest first: (created_at, transaction_id, account_id) descending. */
export interface LineCursor {
  createdAt: string;
  transactionId: string;
  accountId: string;
}

export interface TrialBalanceRow extends BalanceCounters {
  currency: string;
  purpose: LedgerAccountPurpose;
  accounts: number;
}

interface AccountRow {
  id: string;
  owner: string;
  purpose: LedgerAccountPurpose;
  currency: string;
  normal_balance: NormalBalance;
  min_balance: string | null;
  shards: number;
  created_at: Date;
}

interface TransactionRow {
  id: string;
  reference_owner: string;
  reference: string;
  content_hash: Buffer;
  kind: TransactionKind;
  type: string;
  status: LedgerTransactionStatus;
  parent_id: string | null;
  source_type: string | null;
  source_id: string | null;
  description: string | null;
  metadata: Record<string, string> | null;
  request_id: string | null;
  legs: StoredLeg[];
  expires_at: Date | null;
  created_at: Date;
  resolved_at: Date | null;
}

interface CounterRow {
  debits_pending: string;
  debits_posted: string;
  credits_pending: string;
  credits_posted: string;
}

interface EntryRow {
  transaction_id: string;
  ordinal: number;
  account_id: string;
  shard: number;
  currency: string;
  direction: EntryDirection;
  effect: EntryEffect;
  amount: string;
  created_at: Date;
  resulting_debits_pending: string;
  resulting_debits_posted: string;
  resulting_credits_pending: string;
  resulting_credits_posted: string;
}

const ACCOUNT_COLUMNS = 'id, owner, purpose, currency, normal_balance, min_balance, shards, created_at';
const TRANSACTION_COLUMNS = `id, reference_owner, reference, content_hash, kind, type, status, parent_id, source_type,
  source_id, description, metadata, request_id, legs, expires_at, created_at, resolved_at`;
const ENTRY_COLUMNS = `transaction_id, ordinal, account_id, shard, currency, direction, effect, amount, created_at,
  resulting_debits_pending, resulting_debits_posted, resulting_credits_pending, resulting_credits_posted`;

function toAccount(row: AccountRow): LedgerAccountRecord {
  return {
    id: row.id,
    key: { owner: row.owner, purpose: row.purpose, currency: row.currency },
    normalBalance: row.normal_balance,
    floor: row.min_balance === null ? null : BigInt(row.min_balance),
    shards: Number(row.shards),
    createdAt: row.created_at,
  };
}

function toTransaction(row: TransactionRow): LedgerTransactionRecord {
  return {
    id: row.id,
    referenceOwner: row.reference_owner,
    reference: row.reference,
    contentHash: row.content_hash,
    kind: row.kind,
    type: row.type,
    status: row.status,
    parentId: row.parent_id,
    sourceType: row.source_type,
    sourceId: row.source_id,
    description: row.description,
    metadata: row.metadata,
    requestId: row.request_id,
    legs: row.legs,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
  };
}

function toCounters(row: CounterRow): BalanceCounters {
  return {
    debitsPending: BigInt(row.debits_pending),
    debitsPosted: BigInt(row.debits_posted),
    creditsPending: BigInt(row.credits_pending),
    creditsPosted: BigInt(row.credits_posted),
  };
}

function toEntry(row: EntryRow): EntryRecord {
  return {
    transactionId: row.transaction_id,
    ordinal: Number(row.ordinal),
    accountId: row.account_id,
    shard: Number(row.shard),
    currency: row.currency,
    direction: row.direction,
    effect: row.effect,
    amount: BigInt(row.amount),
    createdAt: row.created_at,
    debitsPending: BigInt(row.resulting_debits_pending),
    debitsPosted: BigInt(row.resulting_debits_posted),
    creditsPending: BigInt(row.resulting_credits_pending),
    creditsPosted: BigInt(row.resulting_credits_posted),
  };
}

/**
 * The only SQL that touches ledger tables. Every method takes the caller's manager when it must run inside
 * the caller's transaction; reads without one use the pool.
 */
@Injectable()
export class LedgerRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findAccounts(manager: EntityManager | undefined, keys: LedgerAccountKey[]): Promise<LedgerAccountRecord[]> {
    if (keys.length === 0) return [];
    const rows: AccountRow[] = await this.db(manager).query(
      `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts
       WHERE (owner, purpose, currency) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))`,
      [keys.map((k) => k.owner), keys.map((k) => k.purpose), keys.map((k) => k.currency)],
    );
    return rows.map(toAccount);
  }

  async findAccountsByIds(manager: EntityManager | undefined, ids: string[]): Promise<LedgerAccountRecord[]> {
    if (ids.length === 0) return [];
    const rows: AccountRow[] = await this.db(manager).query(
      `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts WHERE id = ANY($1::text[])`,
      [ids],
    );
    return rows.map(toAccount);
  }

  /**
   * Inserts the accounts that do not exist yet, with their balance rows. A concurrent creator of the same key
   * makes this wait for its commit and then skip the key; the caller re-reads what was not inserted.
   */
  async insertAccounts(manager: EntityManager | undefined, accounts: NewLedgerAccount[]): Promise<void> {
    if (accounts.length === 0) return;
    await this.db(manager).query(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::ledger_normal_balance[], $6::numeric[], $7::int2[])
           AS i(id, owner, purpose, currency, normal_balance, min_balance, shards)
       ), inserted AS (
         INSERT INTO ledger_accounts (id, owner, purpose, currency, normal_balance, min_balance, shards)
         SELECT id, owner, purpose, currency, normal_balance, min_balance, shards FROM input
         ON CONFLICT (owner, purpose, currency) DO NOTHING
         RETURNING id, normal_balance, min_balance, shards
       )
       INSERT INTO ledger_balances (account_id, shard, normal_balance, min_balance)
       SELECT i.id, s.shard, i.normal_balance, i.min_balance
       FROM inserted i CROSS JOIN LATERAL generate_series(0, i.shards - 1) AS s(shard)`,
      [
        accounts.map((a) => a.id),
        accounts.map((a) => a.key.owner),
        accounts.map((a) => a.key.purpose),
        accounts.map((a) => a.key.currency),
        accounts.map((a) => a.normalBalance),
        accounts.map((a) => (a.floor === null ? null : a.floor.toString())),
        accounts.map((a) => a.shards),
      ],
    );
  }

  async accountsOfOwner(owner: string): Promise<LedgerAccountRecord[]> {
    const rows: AccountRow[] = await this.dataSource.query(
      `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts WHERE owner = $1 ORDER BY currency, purpose`,
      [owner],
    );
    return rows.map(toAccount);
  }

  /** Of these account ids, the platform fee accounts. */
  async feeAccountIds(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM ledger_accounts WHERE id = ANY($1::text[]) AND purpose = 'fees'`,
      [ids],
    );
    return new Set(rows.map((row) => row.id));
  }

  async listAccounts(filter: {
    owner?: string;
    purpose?: string;
    currency?: string;
    limit: number;
    startingAfter?: string;
  }): Promise<LedgerAccountRecord[]> {
    const rows: AccountRow[] = await this.dataSource.query(
      `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts
       WHERE ($1::text IS NULL OR owner = $1) AND ($2::text IS NULL OR purpose = $2)
         AND ($3::text IS NULL OR currency = $3) AND ($4::text IS NULL OR id < $4)
       ORDER BY id DESC LIMIT $5`,
      [
        filter.owner ?? null,
        filter.purpose ?? null,
        filter.currency ?? null,
        filter.startingAfter ?? null,
        filter.limit + 1,
      ],
    );
    return rows.map(toAccount);
  }

  /** One round trip: lock, check floors, claim the reference, write. See ledger_apply in the migration. */
  async apply(manager: EntityManager | undefined, tx: ApplyTransaction, plan: WritePlanParams): Promise<ApplyResult> {
    const rows = await this.preparedQuery<ApplyRow>(manager, 'ledger_apply_v1', applyCall(0), applyValues(tx, plan));
    return toApplyResult(rows[0]);
  }

  /**
   * Several ledger_apply calls in ONE statement (one round trip), run in order inside the caller's transaction:
   * each call sees the writes of the calls before it. Outcomes in input order. The statement is prepared once
   * per connection and batch size.
   */
  async applyMany(
    manager: EntityManager,
    items: Array<{ tx: ApplyTransaction; plan: WritePlanParams }>,
  ): Promise<ApplyResult[]> {
    if (items.length === 1) return [await this.apply(manager, items[0].tx, items[0].plan)];
    const text = items.map((_, i) => `(${applyCall(i * APPLY_PARAMS)})`).join('\n UNION ALL ');
    const rows = await this.preparedQuery<ApplyRow>(
      manager,
      `ledger_apply_many_v1_${items.length}`,
      text,
      items.flatMap((item) => applyValues(item.tx, item.plan)),
    );
    if (rows.length !== items.length) throw new Error(`ledger_apply answered ${rows.length} of ${items.length} calls.`);
    return rows.map(toApplyResult);
  }

  async findTransaction(manager: EntityManager | undefined, id: string): Promise<LedgerTransactionRecord | null> {
    const rows: TransactionRow[] = await this.db(manager).query(
      `SELECT ${TRANSACTION_COLUMNS} FROM ledger_transactions WHERE id = $1`,
      [id],
    );
    return rows.length ? toTransaction(rows[0]) : null;
  }

  /** Transactions by id, read in the caller's transaction. */
  async findTransactionsIn(manager: EntityManager, ids: string[]): Promise<Map<string, LedgerTransactionRecord>> {
    const rows: TransactionRow[] = await manager.query(
      `SELECT ${TRANSACTION_COLUMNS} FROM ledger_transactions WHERE id = ANY($1::text[])`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, toTransaction(row)]));
  }

  /** Locks a transaction row so that its reversals are decided one at a time. */
  async lockTransaction(manager: EntityManager, id: string): Promise<LedgerTransactionRecord | null> {
    const rows: TransactionRow[] = await manager.query(
      `SELECT ${TRANSACTION_COLUMNS} FROM ledger_transactions WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows.length ? toTransaction(rows[0]) : null;
  }

  async findByReference(
    manager: EntityManager | undefined,
    referenceOwner: string,
    reference: string,
  ): Promise<LedgerTransactionRecord | null> {
    const rows: TransactionRow[] = await this.db(manager).query(
      `SELECT ${TRANSACTION_COLUMNS} FROM ledger_transactions WHERE reference_owner = $1 AND reference = $2`,
      [referenceOwner, reference],
    );
    return rows.length ? toTransaction(rows[0]) : null;
  }

  async findChildren(manager: EntityManager | undefined, parentId: string): Promise<LedgerTransactionRecord[]> {
    const rows: TransactionRow[] = await this.db(manager).query(
      `SELECT ${TRANSACTION_COLUMNS} FROM ledger_transactions WHERE parent_id = $1 ORDER BY created_at, id`,
      [parentId],
    );
    return rows.map(toTransaction);
  }

  async findTransactions(ids: string[]): Promise<LedgerTransactionRecord[]> {
    if (ids.length === 0) return [];
    const rows: TransactionRow[] = await this.dataSource.query(
      `SELECT ${TRANSACTION_COLUMNS} FROM ledger_transactions WHERE id = ANY($1::text[])`,
      [ids],
    );
    return rows.map(toTransaction);
  }

  async findExpiredHolds(now: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM ledger_transactions WHERE status = 'pending' AND expires_at IS NOT NULL AND expires_at <= $1
       ORDER BY expires_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Current counters per account, summed over shards. */
  async balances(manager: EntityManager | undefined, accountIds: string[]): Promise<Map<string, BalanceCounters>> {
    if (accountIds.length === 0) return new Map();
    const rows: Array<CounterRow & { account_id: string }> = await this.db(manager).query(
      `SELECT account_id, sum(debits_pending) AS debits_pending, sum(debits_posted) AS debits_posted,
              sum(credits_pending) AS credits_pending, sum(credits_posted) AS credits_posted
       FROM ledger_balances WHERE account_id = ANY($1::text[]) GROUP BY account_id`,
      [accountIds],
    );
    return new Map(rows.map((row) => [row.account_id, toCounters(row)]));
  }

  /** Counters at `at`: per shard, the resulting counters of its last entry at or before `at`. */
  async balanceAsOf(accountId: string, shards: number, at: Date): Promise<BalanceCounters> {
    const rows: CounterRow[] = await this.dataSource.query(
      `SELECT coalesce(sum(e.resulting_debits_pending), 0) AS debits_pending,
              coalesce(sum(e.resulting_debits_posted), 0) AS debits_posted,
              coalesce(sum(e.resulting_credits_pending), 0) AS credits_pending,
              coalesce(sum(e.resulting_credits_posted), 0) AS credits_posted
       FROM generate_series(0, $2::int - 1) AS s(shard)
       CROSS JOIN LATERAL (
         SELECT resulting_debits_pending, resulting_debits_posted, resulting_credits_pending, resulting_credits_posted
         FROM ledger_entries
         WHERE account_id = $1 AND shard = s.shard AND created_at <= $3
         ORDER BY created_at DESC, ordinal DESC LIMIT 1
       ) e`,
      [accountId, shards, at],
    );
    return toCounters(rows[0]);
  }

  /** Entries of the given account shards, newest first, strictly after the cursor. */
  async entries(
    accountShards: Array<{ accountId: string; shards: number }>,
    options: {
      limit: number;
      after?: EntryCursor;
      effect?: EntryEffect;
      createdGte?: Date;
      createdLte?: Date;
      type?: string;
    },
  ): Promise<EntryRecord[]> {
    if (accountShards.length === 0) return [];
    const pairs = accountShards.flatMap(({ accountId, shards }) =>
      Array.from({ length: shards }, (_, shard) => ({ accountId, shard })),
    );
    const after = options.after;
    const rows: EntryRow[] = await this.dataSource.query(
      `SELECT e.* FROM unnest($1::text[], $2::int2[]) AS p(account_id, shard)
       CROSS JOIN LATERAL (
         SELECT ${ENTRY_COLUMNS} FROM ledger_entries x
         WHERE x.account_id = p.account_id AND x.shard = p.shard
           AND ($3::timestamptz IS NULL OR x.created_at <= $3)
           AND ($3::timestamptz IS NULL OR (x.created_at, x.transaction_id, x.ordinal) < ($3, $4::text, $5::int))
           AND ($6::ledger_entry_effect IS NULL OR x.effect = $6)
           AND ($7::timestamptz IS NULL OR x.created_at >= $7)
           AND ($8::timestamptz IS NULL OR x.created_at <= $8)
           AND ($9::text IS NULL OR EXISTS (
             SELECT 1 FROM ledger_transactions t WHERE t.id = x.transaction_id AND t.type = $9))
         ORDER BY x.created_at DESC, x.transaction_id DESC, x.ordinal DESC
         LIMIT $10
       ) e
       ORDER BY e.created_at DESC, e.transaction_id DESC, e.ordinal DESC
       LIMIT $10`,
      [
        pairs.map((p) => p.accountId),
        pairs.map((p) => p.shard),
        after?.createdAt ?? null,
        after?.transactionId ?? null,
        after?.ordinal ?? null,
        options.effect ?? null,
        options.createdGte ?? null,
        options.createdLte ?? null,
        options.type ?? null,
        options.limit,
      ],
    );
    return rows.map(toEntry);
  }

  /**
   * Statement lines of the given account shards, newest first: their posted entries grouped per transaction.
   * Each shard is read backwards along ledger_entries_account and stops after `limit` lines.
   */
  async postedLines(
    accountShards: Array<{ accountId: string; shards: number }>,
    options: {
      limit: number;
      after?: LineCursor;
      type?: string;
      createdGte?: Date;
      createdLt?: Date;
      transactionIds?: string[];
    },
  ): Promise<PostedLineRecord[]> {
    if (accountShards.length === 0) return [];
    const pairs = accountShards.flatMap(({ accountId, shards }) =>
      Array.from({ length: shards }, (_, shard) => ({ accountId, shard })),
    );
    const after = options.after;
    const rows: Array<{
      account_id: string;
      transaction_id: string;
      created_at: Date;
      ordinal: number;
      credits: string;
      debits: string;
      resulting_credits_posted: string;
      resulting_debits_posted: string;
    }> = await this.dataSource.query(
      `SELECT l.* FROM unnest($1::text[], $2::int2[]) AS p(account_id, shard)
       CROSS JOIN LATERAL (
         SELECT x.account_id, x.transaction_id, x.created_at, min(x.ordinal) AS ordinal,
                sum(x.amount) FILTER (WHERE x.direction = 'credit') AS credits,
                sum(x.amount) FILTER (WHERE x.direction = 'debit') AS debits,
                (array_agg(x.resulting_credits_posted ORDER BY x.ordinal DESC))[1] AS resulting_credits_posted,
                (array_agg(x.resulting_debits_posted ORDER BY x.ordinal DESC))[1] AS resulting_debits_posted
         FROM ledger_entries x
         WHERE x.account_id = p.account_id AND x.shard = p.shard AND x.effect = 'post'
           AND ($3::timestamptz IS NULL OR x.created_at <= $3)
           AND ($3::timestamptz IS NULL OR (x.created_at, x.transaction_id) < ($3, $4::text)
                OR (x.created_at = $3 AND x.transaction_id = $4::text AND x.account_id < $5::text))
           AND ($6::timestamptz IS NULL OR x.created_at >= $6)
           AND ($7::timestamptz IS NULL OR x.created_at < $7)
           AND ($8::text IS NULL OR EXISTS (
             SELECT 1 FROM ledger_transactions t WHERE t.id = x.transaction_id AND t.type = $8))
           AND ($10::text[] IS NULL OR x.transaction_id = ANY($10::text[]))
         GROUP BY x.created_at, x.transaction_id, x.account_id
         ORDER BY x.created_at DESC, x.transaction_id DESC
         LIMIT $9
       ) l
       ORDER BY l.created_at DESC, l.transaction_id DESC, l.account_id DESC
       LIMIT $9`,
      [
        pairs.map((p) => p.accountId),
        pairs.map((p) => p.shard),
        after?.createdAt ?? null,
        after?.transactionId ?? null,
        after?.accountId ?? null,
        options.createdGte ?? null,
        options.createdLt ?? null,
        options.type ?? null,
        options.limit,
        options.transactionIds ?? null,
      ],
    );
    return rows.map((row) => ({
      accountId: row.account_id,
      transactionId: row.transaction_id,
      createdAt: row.created_at,
      ordinal: Number(row.ordinal),
      credits: BigInt(row.credits ?? '0'),
      debits: BigInt(row.debits ?? '0'),
      resultingCreditsPosted: BigInt(row.resulting_credits_posted),
      resultingDebitsPosted: BigInt(row.resulting_debits_posted),
    }));
  }

  /** An entry and its exact created_at, for cursors. */
  async findEntry(
    transactionId: string,
    ordinal: number,
  ): Promise<{ entry: EntryRecord; createdAtExact: string } | null> {
    const rows: Array<EntryRow & { created_at_exact: string }> = await this.dataSource.query(
      `SELECT ${ENTRY_COLUMNS}, created_at::text AS created_at_exact
       FROM ledger_entries WHERE transaction_id = $1 AND ordinal = $2`,
      [transactionId, ordinal],
    );
    return rows.length ? { entry: toEntry(rows[0]), createdAtExact: rows[0].created_at_exact } : null;
  }

  async transactionEntries(transactionId: string): Promise<EntryRecord[]> {
    const rows: EntryRow[] = await this.dataSource.query(
      `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE transaction_id = $1 ORDER BY ordinal`,
      [transactionId],
    );
    return rows.map(toEntry);
  }

  /** Σ of the stored balances per currency and purpose. */
  async trialBalance(): Promise<TrialBalanceRow[]> {
    const rows: Array<CounterRow & { currency: string; purpose: LedgerAccountPurpose; accounts: string }> =
      await this.dataSource.query(
        `SELECT a.currency, a.purpose, count(DISTINCT a.id) AS accounts,
                coalesce(sum(b.debits_pending), 0) AS debits_pending, coalesce(sum(b.debits_posted), 0) AS debits_posted,
                coalesce(sum(b.credits_pending), 0) AS credits_pending,
                coalesce(sum(b.credits_posted), 0) AS credits_posted
         FROM ledger_accounts a JOIN ledger_balances b ON b.account_id = a.id
         GROUP BY a.currency, a.purpose ORDER BY a.currency, a.purpose`,
      );
    return rows.map((row) => ({
      currency: row.currency,
      purpose: row.purpose,
      accounts: Number(row.accounts),
      ...toCounters(row),
    }));
  }

  /**
   * Balance rows whose counters differ from the sum of their entries. A full scan of the entries: for audits,
   * not for every request.
   */
  async balancesNotMatchingEntries(): Promise<Array<{ accountId: string; shard: number }>> {
    const rows: Array<{ account_id: string; shard: number }> = await this.dataSource.query(
      `SELECT b.account_id, b.shard
       FROM ledger_balances b
       LEFT JOIN (
         SELECT account_id, shard,
           sum(CASE WHEN direction = 'debit' AND effect = 'hold' THEN amount
                    WHEN direction = 'debit' AND effect = 'release' THEN -amount ELSE 0 END) AS debits_pending,
           sum(CASE WHEN direction = 'debit' AND effect = 'post' THEN amount ELSE 0 END) AS debits_posted,
           sum(CASE WHEN direction = 'credit' AND effect = 'hold' THEN amount
                    WHEN direction = 'credit' AND effect = 'release' THEN -amount ELSE 0 END) AS credits_pending,
           sum(CASE WHEN direction = 'credit' AND effect = 'post' THEN amount ELSE 0 END) AS credits_posted
         FROM ledger_entries GROUP BY account_id, shard
       ) e ON e.account_id = b.account_id AND e.shard = b.shard
       WHERE b.debits_pending <> coalesce(e.debits_pending, 0) OR b.debits_posted <> coalesce(e.debits_posted, 0)
          OR b.credits_pending <> coalesce(e.credits_pending, 0) OR b.credits_posted <> coalesce(e.credits_posted, 0)
       ORDER BY b.account_id, b.shard`,
    );
    return rows.map((row) => ({ accountId: row.account_id, shard: Number(row.shard) }));
  }

  private db(manager: EntityManager | undefined): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /**
   * A named prepared statement on the pg connection itself, for the statement every money movement runs: it is
   * parsed and planned once per connection instead of once per call, and skips TypeORM's per-query overhead.
   * With a manager it runs on that transaction's connection.
   */
  private async preparedQuery<R>(
    manager: EntityManager | undefined,
    name: string,
    text: string,
    values: unknown[],
  ): Promise<R[]> {
    const client: Pool | PoolClient = manager?.queryRunner
      ? ((await manager.queryRunner.connect()) as PoolClient)
      : (this.dataSource.driver as unknown as { master: Pool }).master;
    return (await client.query<R & object>({ name, text, values })).rows;
  }
}

const APPLY_PARAMS = 31;

interface ApplyRow {
  result: string;
  result_created_at: Date | null;
  result_short_accounts: string[] | null;
}

/** `SELECT * FROM ledger_apply($k+1 … $k+31)` with the casts the function needs. */
function applyCall(offset: number): string {
  const p = (n: number) => `$${offset + n}`;
  const plain = Array.from({ length: 16 }, (_, i) => p(i + 1)).join(', ');
  const casts = [
    'text[]',
    'int2[]',
    'text[]',
    'numeric[]',
    'numeric[]',
    'numeric[]',
    'numeric[]',
    'int4[]',
    'ledger_entry_direction[]',
    'ledger_entry_effect[]',
    'numeric[]',
    'numeric[]',
    'numeric[]',
    'numeric[]',
    'numeric[]',
  ]
    .map((cast, i) => `${p(17 + i)}::${cast}`)
    .join(', ');
  return `SELECT * FROM ledger_apply(${plain}, ${casts})`;
}

function applyValues(tx: ApplyTransaction, plan: WritePlanParams): unknown[] {
  return [
    tx.id,
    tx.referenceOwner,
    tx.reference,
    tx.contentHash,
    tx.kind,
    tx.type,
    tx.status,
    tx.parentId,
    tx.parentStatus,
    tx.sourceType,
    tx.sourceId,
    tx.description,
    tx.metadata === null ? null : JSON.stringify(tx.metadata),
    tx.requestId,
    tx.expiresAt,
    JSON.stringify(tx.legs),
    plan.accounts,
    plan.shards,
    plan.currencies,
    plan.debitsPending,
    plan.debitsPosted,
    plan.creditsPending,
    plan.creditsPosted,
    plan.entryBalances,
    plan.entryDirections,
    plan.entryEffects,
    plan.entryAmounts,
    plan.entryDebitsPendingAfter,
    plan.entryDebitsPostedAfter,
    plan.entryCreditsPendingAfter,
    plan.entryCreditsPostedAfter,
  ];
}

function toApplyResult(row: ApplyRow): ApplyResult {
  if (row.result === 'applied') return { result: 'applied', createdAt: row.result_created_at! };
  if (row.result === 'insufficient_funds') {
    return { result: 'insufficient_funds', shortAccounts: row.result_short_accounts ?? [] };
  }
  return { result: row.result as 'exists' | 'parent_not_pending' | 'missing_balance' };
}
