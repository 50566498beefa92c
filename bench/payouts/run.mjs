// Payout run benchmark (see bench/README.md, "Payouts"): RECEIVERS receivers due at once on the local rail, from the
// scheduled run's start until every payout is paid; then BullMQ's throughput for no-op jobs on the same Redis.
//   npm run build && node bench/payouts/run.mjs
// Options (env): RECEIVERS (default 10000), WORKERS (extra APP_ROLE=worker processes, default 0),
// CONCURRENCY (payout worker concurrency, default 200), POOL (database pool per process, default 24),
// APP_NODE_ARGS (extra node flags for the app processes, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, Worker } from 'bullmq';
import pg from 'pg';

const RECEIVERS = Number(process.env.RECEIVERS ?? 10_000);
const WORKERS = Number(process.env.WORKERS ?? 0);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 200);
const POOL = Number(process.env.POOL ?? 24);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@localhost:5432/ai_receive_bench_payouts';
const ADMIN_API_KEY = 'bench_admin_key_0123456789abcdefghij';
const children = [];
/** Figures rounded for the report (these are seconds and rates, not money). */
const round = (value, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
let BASE = '';

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A Redis of the benchmark's own, without persistence, so nothing else competes for it. */
async function startRedis() {
  const port = await freePort();
  children.push(
    spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }),
  );
  await sleep(300);
  return `redis://127.0.0.1:${port}`;
}

async function recreateDatabase() {
  const url = new URL(DATABASE_URL);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
}

function startProcess(redisUrl, role, port) {
  const nodeArgs = process.env.APP_NODE_ARGS ? process.env.APP_NODE_ARGS.split(' ') : [];
  const child = spawn(process.execPath, [...nodeArgs, 'dist/src/main.js'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      APP_ROLE: role,
      PORT: String(port),
      DATABASE_URL,
      DATABASE_POOL_SIZE: String(POOL),
      REDIS_URL: redisUrl,
      ADMIN_API_KEY,
      LOCAL_AUTO_VERIFY: 'true',
      PAYOUT_TICK_SECONDS: '0',
      PAYOUT_WORKER_CONCURRENCY: String(CONCURRENCY),
      LOCAL_RAIL_SETTLEMENT_SECONDS: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  return child;
}

async function waitForHealth() {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${BASE}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  throw new Error('The app did not become healthy within 120 s.');
}

/** Receivers with payouts enabled, a daily schedule and a bank account, each with funds available. */
async function seed(client) {
  await client.query(
    `INSERT INTO accounts (id, name, email, country, default_currency, capabilities, status, verification_status,
       charges_enabled, payouts_enabled, provider)
     SELECT 'acct_bench' || lpad(i::text, 8, '0'), 'Bench receiver ' || i, 'bench' || i || '@example.com', 'US', 'usd',
            ARRAY['receive'], 'active', 'verified', true, true, 'local'
       FROM generate_series(1, $1) AS i`,
    [RECEIVERS],
  );
  await client.query(
    `INSERT INTO payout_settings (account_id, interval, destination)
     SELECT id, 'daily', jsonb_build_object('type', 'bank_account', 'accountHolderName', name,
              'accountNumber', '000123456789', 'routingNumber', '110000000', 'country', 'US', 'currency', 'usd')
       FROM accounts WHERE id LIKE 'acct_bench%'`,
  );
  // Funds go through the ledger's own service (the only writer of money), 500 receivers per transaction.
  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await import('../../dist/src/app.module.js');
  const { loadConfig } = await import('../../dist/src/config/app-config.js');
  const { LedgerService } = await import('../../dist/src/ledger/ledger.service.js');
  const config = loadConfig({
    ...process.env,
    DATABASE_URL,
    REDIS_URL: process.env.BENCH_REDIS,
    APP_ROLE: 'api',
    ADMIN_API_KEY,
    LOG_LEVEL: 'error',
    PAYOUT_TICK_SECONDS: '0',
  });
  const context = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error'] });
  const ledger = context.get(LedgerService);
  let total = 0n;
  for (let start = 1; start <= RECEIVERS; start += 500) {
    const legs = [];
    for (let i = start; i < Math.min(start + 500, RECEIVERS + 1); i++) {
      // 10.00 to 109.99 and a sub-cent remainder that stays in the balance.
      const amount = BigInt(10 + (i % 100)) * 1_000_000_000n + BigInt(i % 97) * 10_000_000n + 4_321n;
      total += amount;
      legs.push({
        debit: { owner: 'platform', purpose: 'provider_clearing', currency: 'usd' },
        credit: { owner: `acct_bench${String(i).padStart(8, '0')}`, purpose: 'available', currency: 'usd' },
        amount,
      });
    }
    await ledger.post({
      reference: `bench-funding:${start}`,
      type: 'adjustment',
      description: 'Benchmark funding',
      legs,
    });
  }
  await context.close();
  return total;
}

function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds of the PostgreSQL backends serving the benchmark's database (other databases' work is left out). */
function postgresCpuSeconds() {
  const database = new URL(DATABASE_URL).pathname.slice(1);
  let total = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (command.startsWith('postgres:') && command.includes(` ${database} `)) total += cpuSeconds(pid);
    } catch {
      // the process ended
    }
  }
  return total;
}

async function payoutRun(client) {
  const appCpu = () =>
    children.filter((c) => c.spawnfile === process.execPath).reduce((sum, c) => sum + cpuSeconds(c.pid), 0);
  const redisCpu = () =>
    children.filter((c) => c.spawnfile === 'redis-server').reduce((sum, c) => sum + cpuSeconds(c.pid), 0);
  const cpu0 = { app: appCpu(), pg: postgresCpuSeconds(), redis: redisCpu() };
  const started = Date.now();
  const response = await fetch(`${BASE}/v1/admin/payout_runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_API_KEY}` },
  });
  const run = await response.json();
  const created = Date.now();
  for (;;) {
    const { rows } = await client.query(`SELECT count(*) FILTER (WHERE status = 'paid')::int AS paid FROM payouts`);
    if (rows[0].paid >= run.payouts_created) break;
    await sleep(50);
  }
  const finished = Date.now();
  return {
    created: run.payouts_created,
    creationSeconds: (created - started) / 1000,
    totalSeconds: (finished - started) / 1000,
    cpu: { app: appCpu() - cpu0.app, postgres: postgresCpuSeconds() - cpu0.pg, redis: redisCpu() - cpu0.redis },
  };
}

/** The same number of jobs through BullMQ with nothing to do: added in bulk, processed at the same concurrency. */
async function noopBaseline(redisUrl, count) {
  const connection = { url: redisUrl };
  const queue = new Queue('bench-noop', { connection, prefix: 'air' });
  let done = 0;
  let resolveAll;
  const all = new Promise((resolve) => (resolveAll = resolve));
  const worker = new Worker('bench-noop', async () => undefined, {
    connection,
    prefix: 'air',
    concurrency: CONCURRENCY,
  });
  worker.on('completed', () => {
    done += 1;
    if (done === count) resolveAll();
  });
  await worker.waitUntilReady();
  const started = Date.now();
  for (let start = 0; start < count; start += 200) {
    await queue.addBulk(
      Array.from({ length: Math.min(200, count - start) }, (_, i) => ({
        name: 'noop',
        data: { n: start + i },
        opts: { jobId: `noop-${start + i}`, removeOnComplete: { count: 1000 } },
      })),
    );
  }
  await all;
  const seconds = (Date.now() - started) / 1000;
  await worker.close();
  await queue.close();
  return seconds;
}

async function main() {
  const redisUrl = await startRedis();
  process.env.BENCH_REDIS = redisUrl;
  await recreateDatabase();
  const port = await freePort();
  BASE = `http://127.0.0.1:${port}`;
  startProcess(redisUrl, 'all', port);
  await waitForHealth();
  for (let i = 0; i < WORKERS; i++) startProcess(redisUrl, 'worker', await freePort());
  await waitForHealth();
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  const seeded = Date.now();
  await seed(client);
  console.log(`Seeded ${RECEIVERS} receivers with available funds in ${round((Date.now() - seeded) / 1000, 1)} s.`);
  const result = await payoutRun(client);
  const { rows } = await client.query(
    `SELECT count(*)::int AS payouts, count(DISTINCT account_id)::int AS accounts,
            (SELECT count(*)::int FROM local_bank_transfers) AS transfers FROM payouts`,
  );
  const payoutsPerSecond = result.created / result.totalSeconds;
  const noopSeconds = await noopBaseline(redisUrl, result.created);
  const noopPerSecond = result.created / noopSeconds;
  console.log(
    JSON.stringify(
      {
        receivers: RECEIVERS,
        processes: { api_and_worker: 1, extra_workers: WORKERS },
        worker_concurrency: CONCURRENCY,
        payouts_created: result.created,
        payouts_rows: rows[0].payouts,
        bank_transfers: rows[0].transfers,
        distinct_receivers_paid: rows[0].accounts,
        scheduled_run_seconds: result.creationSeconds,
        run_start_to_all_paid_seconds: result.totalSeconds,
        payouts_per_second: Math.round(payoutsPerSecond),
        cpu_seconds: result.cpu,
        cpu_ms_per_payout: {
          app: round((result.cpu.app * 1000) / result.created),
          postgres: round((result.cpu.postgres * 1000) / result.created),
          redis: round((result.cpu.redis * 1000) / result.created),
        },
        payouts_per_second_if_alone_on_2_cores: Math.round(
          (2 * result.created) / (result.cpu.app + result.cpu.postgres + result.cpu.redis),
        ),
        load_average_1m: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
        bullmq_noop_jobs_per_second: Math.round(noopPerSecond),
        ratio_payouts_to_noop: round(payoutsPerSecond / noopPerSecond, 3),
      },
      null,
      2,
    ),
  );
  await client.end();
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    const apps = children.filter((child) => child.spawnfile === process.execPath);
    for (const child of apps) child.kill('SIGTERM');
    // Redis goes last, once the app processes have closed their connections.
    setTimeout(() => {
      for (const child of children) child.kill('SIGKILL');
      process.exit();
    }, 3000);
  });
