// Ledger throughput: two-leg transfers per second from concurrent clients calling LedgerService.post directly
// (no HTTP), against a raw SQL baseline that writes the same rows without the ledger's checks. See bench/README.md.
//   npx tsc -p tsconfig.bench.json && node dist/bench/ledger/run.js
// Options (env): BENCH_DATABASE_URL (default postgres://postgres@localhost:5432/ai_receive_bench, dropped and
// re-created), CLIENTS (default 16), DURATION (seconds per scenario, default 10), ACCOUNTS (default 2000),
// ONLY (comma-separated subset of baseline,distinct,baseline_fee,hot).
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { recreateDatabase, runMigrations } from '../../src/database/ensure-database.js';
import { TransactionRunner } from '../../src/database/transaction-runner.js';
import { LedgerRepository } from '../../src/ledger/ledger.repository.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import type { LedgerAccountKey, LedgerLeg } from '../../src/ledger/ledger.types.js';

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@localhost:5432/ai_receive_bench';
const CLIENTS = Number(process.env.CLIENTS ?? 16);
const DURATION_MS = Number(process.env.DURATION ?? 10) * 1000;
const ACCOUNTS = Number(process.env.ACCOUNTS ?? 2000);
const WARMUP_MS = 1500;
const ONLY = process.env.ONLY;

interface Result {
  name: string;
  transfers: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU time per transfer of this process and of the database backends serving it, in microseconds. */
  clientCpuUs: number;
  databaseCpuUs: number;
}

let backendPids: number[] = [];

/** CPU milliseconds used so far by the database backends of this benchmark (Linux /proc; 0 elsewhere). */
function databaseCpuMs(): number {
  let total = 0;
  for (const pid of backendPids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      total += (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      // not on Linux, or the backend is gone
    }
  }
  return total;
}

function wallet(i: number): LedgerAccountKey {
  return { owner: `acct_bench${String(i).padStart(6, '0')}`, purpose: 'wallet', currency: 'usd' };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

function pickPair(): [number, number] {
  const a = Math.floor(Math.random() * ACCOUNTS);
  let b = Math.floor(Math.random() * (ACCOUNTS - 1));
  if (b >= a) b++;
  return [a, b];
}

interface CpuSnapshot {
  client: NodeJS.CpuUsage;
  database: number;
}

function cpuNow(): CpuSnapshot {
  return { client: process.cpuUsage(), database: databaseCpuMs() };
}

/**
 * Runs `CLIENTS` loops of `operation` for DURATION after a warm-up and measures each call that ends inside the
 * window; throughput counts those calls, CPU is sampled at the window's edges.
 */
async function measure(name: string, operation: () => Promise<void>): Promise<Result> {
  const warmupEnd = Date.now() + WARMUP_MS;
  const end = warmupEnd + DURATION_MS;
  const latencies: number[] = [];
  let errors = 0;
  let first: CpuSnapshot | null = null;
  let last: CpuSnapshot | null = null;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < end) {
        const started = process.hrtime.bigint();
        try {
          await operation();
        } catch (error) {
          errors++;
          if (errors <= 3) console.error(`${name}: ${(error as Error).message}`);
          continue;
        }
        const finished = Date.now();
        if (finished >= warmupEnd && finished < end) {
          first ??= cpuNow();
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        } else if (finished >= end) {
          last ??= cpuNow();
        }
      }
    }),
  );
  latencies.sort((x, y) => x - y);
  const start = first as CpuSnapshot | null;
  const stop = last as CpuSnapshot | null;
  const count = Math.max(1, latencies.length);
  return {
    name,
    transfers: latencies.length,
    perSecond: Math.round(latencies.length / (DURATION_MS / 1000)),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    clientCpuUs:
      start && stop
        ? Math.round((stop.client.user + stop.client.system - start.client.user - start.client.system) / count)
        : 0,
    databaseCpuUs: start && stop ? Math.round(((stop.database - start.database) * 1000) / count) : 0,
  };
}

/** The same rows as a ledger transfer (2 balance updates, 1 transaction, 2 entries), without any check. */
async function createBaselineTables(db: DataSource): Promise<void> {
  await db.query(`
    CREATE TABLE baseline_balances (
      account_id text COLLATE "C", shard smallint, normal_balance text, min_balance numeric(38, 0),
      debits_pending numeric(38, 0) DEFAULT 0, debits_posted numeric(38, 0) DEFAULT 0,
      credits_pending numeric(38, 0) DEFAULT 0, credits_posted numeric(38, 0) DEFAULT 0, version bigint DEFAULT 0,
      PRIMARY KEY (account_id, shard)
    ) WITH (fillfactor = 50)`);
  await db.query(`
    CREATE TABLE baseline_transactions (
      id text COLLATE "C" PRIMARY KEY, reference_owner text, reference text, content_hash bytea, kind text, type text,
      status text, parent_id text, source_type text, source_id text, description text, metadata jsonb,
      request_id text, legs jsonb, expires_at timestamptz, created_at timestamptz, resolved_at timestamptz
    )`);
  await db.query(`
    CREATE TABLE baseline_entries (
      transaction_id text COLLATE "C", ordinal integer, account_id text COLLATE "C", shard smallint, currency text,
      direction text, effect text, amount numeric(38, 0), created_at timestamptz,
      resulting_debits_pending numeric(38, 0), resulting_debits_posted numeric(38, 0),
      resulting_credits_pending numeric(38, 0), resulting_credits_posted numeric(38, 0),
      PRIMARY KEY (transaction_id, ordinal)
    )`);
  await db.query(`CREATE INDEX ON baseline_entries (account_id, shard, created_at)`);
  await db.query(
    `INSERT INTO baseline_balances (account_id, shard, normal_balance)
     SELECT 'acct_bench' || lpad(i::text, 6, '0'), 0, 'credit' FROM generate_series(0, $1 - 1) i`,
    [ACCOUNTS],
  );
  await db.query(
    `INSERT INTO baseline_balances (account_id, shard, normal_balance)
     SELECT 'platform_fees', s, 'credit' FROM generate_series(0, $1 - 1) s`,
    [BASELINE_FEE_SHARDS],
  );
}

const BASELINE_FEE_SHARDS = 16;

/**
 * The rows a ledger transfer writes (the balance rows updated, one transaction, its entries), with none of the
 * ledger's checks, locks or triggers: one statement, prepared once per connection like ledger_apply.
 */
async function baselineTransfer(pool: Pool, withFee: boolean): Promise<void> {
  const [a, b] = pickPair();
  const id = `ltx_${randomUUID()}`;
  const feeShard = Math.floor(Math.random() * BASELINE_FEE_SHARDS);
  await pool.query({
    name: withFee ? 'baseline_fee' : 'baseline',
    text: `WITH d AS (
       UPDATE baseline_balances SET debits_posted = debits_posted + 1, version = version + 1
       WHERE account_id = $2 AND shard = 0 RETURNING *
     ), c AS (
       UPDATE baseline_balances SET credits_posted = credits_posted + 1, version = version + 1
       WHERE account_id = $3 AND shard = 0 RETURNING *
     ), f AS (
       UPDATE baseline_balances SET credits_posted = credits_posted + 1, version = version + 1
       WHERE $5 AND account_id = 'platform_fees' AND shard = $4 RETURNING *
     ), t AS (
       INSERT INTO baseline_transactions (id, reference_owner, reference, content_hash, kind, type, status, legs,
         created_at)
       VALUES ($1, 'platform', $1, '\\x00', 'transfer', 'transfer', 'posted', '[]', clock_timestamp())
     )
     INSERT INTO baseline_entries (transaction_id, ordinal, account_id, shard, currency, direction, effect, amount,
       created_at, resulting_debits_pending, resulting_debits_posted, resulting_credits_pending, resulting_credits_posted)
     SELECT $1, 0, d.account_id, 0, 'usd', 'debit', 'post', 1, clock_timestamp(), d.debits_pending, d.debits_posted,
            d.credits_pending, d.credits_posted FROM d
     UNION ALL
     SELECT $1, 1, c.account_id, 0, 'usd', 'credit', 'post', 1, clock_timestamp(), c.debits_pending, c.debits_posted,
            c.credits_pending, c.credits_posted FROM c
     UNION ALL
     SELECT $1, 2, f.account_id, f.shard, 'usd', 'credit', 'post', 1, clock_timestamp(), f.debits_pending,
            f.debits_posted, f.credits_pending, f.credits_posted FROM f`,
    values: [id, wallet(a).owner, wallet(b).owner, feeShard, withFee],
  });
}

async function main(): Promise<void> {
  const loadBefore = loadavg()
    .map((x) => String(Math.round(x * 100) / 100))
    .join(' ');
  await recreateDatabase(DATABASE_URL);
  await runMigrations(DATABASE_URL);
  const db = new DataSource(dataSourceOptions(DATABASE_URL, CLIENTS + 4));
  await db.initialize();
  const ledger = new LedgerService(new LedgerRepository(db), new TransactionRunner(db));
  const clearing: LedgerAccountKey = { owner: 'platform', purpose: 'provider_clearing', currency: 'usd' };
  const fees: LedgerAccountKey = { owner: 'platform', purpose: 'fees', currency: 'usd' };

  // Funding: one transaction of 500 legs per call exercises the batched write path.
  const fundingStarted = Date.now();
  for (let start = 0; start < ACCOUNTS; start += 500) {
    const legs: LedgerLeg[] = [];
    for (let i = start; i < Math.min(ACCOUNTS, start + 500); i++) {
      legs.push({ debit: clearing, credit: wallet(i), amount: 1_000_000_000_000n });
    }
    await ledger.post({ reference: `funding:${start}`, type: 'top_up', legs });
  }
  const fundingMs = Date.now() - fundingStarted;
  await ledger.openAccount(fees);
  await createBaselineTables(db);
  await db.query('VACUUM ANALYZE');

  // Open every pooled connection, then note their backends for the CPU figures.
  await Promise.all(Array.from({ length: CLIENTS + 4 }, () => db.query('SELECT pg_sleep(0.05)')));
  backendPids = (
    await db.query(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`,
    )
  ).map((row: { pid: number }) => row.pid);
  const pool = (db.driver as unknown as { master: Pool }).master;

  let sequence = 0;
  const scenarios: Array<[string, string, () => Promise<void>]> = [
    ['baseline', 'raw SQL baseline: 2 balance rows, 1 transaction, 2 entries', () => baselineTransfer(pool, false)],
    [
      'distinct',
      'ledger: between distinct bounded accounts',
      async () => {
        const [a, b] = pickPair();
        await ledger.post({
          reference: `transfer:${sequence++}`,
          type: 'transfer',
          legs: [{ debit: wallet(a), credit: wallet(b), amount: 1_000n }],
        });
      },
    ],
    [
      'baseline_fee',
      'raw SQL baseline: 3 balance rows (one of 16 fee rows), 3 entries',
      () => baselineTransfer(pool, true),
    ],
    [
      'hot',
      'ledger: each transfer also credits the platform fees account',
      async () => {
        const [a, b] = pickPair();
        await ledger.post({
          reference: `transfer_fee:${sequence++}`,
          type: 'payment',
          legs: [
            { debit: wallet(a), credit: wallet(b), amount: 1_000n },
            { debit: wallet(a), credit: fees, amount: 30n },
          ],
        });
      },
    ],
  ];
  const results = new Map<string, Result>();
  for (const [id, name, operation] of scenarios) {
    if (!ONLY || ONLY.split(',').includes(id)) results.set(id, await measure(name, operation));
  }

  const [{ unbalanced }] = await db.query(
    `SELECT count(*)::int AS unbalanced FROM (
       SELECT a.currency FROM ledger_balances b JOIN ledger_accounts a ON a.id = b.account_id GROUP BY a.currency
       HAVING sum(b.debits_posted) <> sum(b.credits_posted) OR sum(b.debits_pending) <> sum(b.credits_pending)) x`,
  );
  await db.destroy();

  // Two decimals for timings and ratios (these are measurements, not money).
  const twoDecimals = (x: number) => String(Math.round(x * 100) / 100);
  const format = (r: Result) =>
    `${r.name.padEnd(66)} ${String(r.perSecond).padStart(6)} transfers/s   p50 ${twoDecimals(r.p50).padStart(6)} ms` +
    `   p99 ${twoDecimals(r.p99).padStart(6)} ms   CPU/transfer: client ${r.clientCpuUs} µs, ` +
    `database ${r.databaseCpuUs} µs   errors ${r.errors}`;
  console.log(
    `\n${CLIENTS} concurrent clients, ${DURATION_MS / 1000} s per scenario, ${ACCOUNTS} wallets, ` +
      `load average before the run ${loadBefore}`,
  );
  console.log(
    `funding: ${ACCOUNTS} wallets in ${Math.ceil(ACCOUNTS / 500)} transactions of ≤ 500 legs, ${fundingMs} ms`,
  );
  for (const r of results.values()) console.log(format(r));
  const ratio = (x?: string, y?: string) => {
    const [a, b] = [results.get(x!)?.perSecond, results.get(y!)?.perSecond];
    return a && b ? twoDecimals(a / b) : 'n/a';
  };
  console.log(`ledger distinct / baseline: ${ratio('distinct', 'baseline')}`);
  console.log(`ledger with platform fee / baseline with fee row: ${ratio('hot', 'baseline_fee')}`);
  console.log(`ledger distinct / ledger with platform fee: ${ratio('distinct', 'hot')} (must be ≤ 2)`);
  console.log(`books balanced after the run: ${unbalanced === 0 ? 'yes' : 'NO'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
