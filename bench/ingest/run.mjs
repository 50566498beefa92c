// Token Pay ingestion benchmark: POST /v1/usage_events against the compiled app, and a raw PostgreSQL baseline
// of the same event rows in the same run (see bench/README.md, "Token Pay ingestion").
//   npx tsc -p tsconfig.build.json && node bench/ingest/run.mjs
// Options (env): PAYERS (default 1000), PRODUCTS (default 10), VENDORS (default 2), BATCH (events per request,
// default 500), DUPLICATES (share of re-sent events, default 0.1), CONCURRENCY (batches in flight, default 6),
// DURATION (s per scenario, default 20), SINGLE_CONNECTIONS (default 48), SCENARIO (all | batch | single |
// baseline, default all), PORT (default 3470), EXTERNAL_APP=1 to use an app started by hand on PORT.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import pg from 'pg';

const PORT = Number(process.env.PORT ?? 3470);
const BASE = `http://127.0.0.1:${PORT}`;
const PAYERS = Number(process.env.PAYERS ?? 1000);
const PRODUCTS = Number(process.env.PRODUCTS ?? 10);
const VENDORS = Number(process.env.VENDORS ?? 2);
const BATCH = Number(process.env.BATCH ?? 500);
const DUPLICATES = Number(process.env.DUPLICATES ?? 0.1);
/** Payers whose usage one request carries (0: every request draws from all PAYERS). */
const PAYERS_PER_BATCH = Number(process.env.PAYERS_PER_BATCH ?? 0);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 6);
const DURATION = Number(process.env.DURATION ?? 20);
const SINGLE_CONNECTIONS = Number(process.env.SINGLE_CONNECTIONS ?? 48);
const SCENARIO = process.env.SCENARIO ?? 'all';
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@localhost:5432/ai_receive_bench_ingest';
const ADMIN_API_KEY = 'bench_admin_key_0123456789abcdefghij';
const WARMUP_S = 5;

async function maintenanceQuery(sql) {
  const url = new URL(DATABASE_URL);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

let appPid = null;

/** CPU ticks (1/100 s) of a process so far, from /proc (Linux); null elsewhere or when it is gone. */
function ticksOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/** CPU used so far by the app and by the database backends serving the benchmark database. */
async function cpuSnapshot() {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  const { rows } = await client.query(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  await client.end();
  return {
    app: appPid ? ticksOf(appPid) : null,
    db: new Map(rows.map((row) => [row.pid, ticksOf(row.pid)])),
    client: process.cpuUsage(),
  };
}

/** CPU milliseconds of the app and of the backends alive at both snapshots, between them. */
function cpuBetween(before, after) {
  let db = 0;
  for (const [pid, ticks] of after.db) {
    const earlier = before.db.get(pid);
    if (ticks !== null && earlier !== undefined && earlier !== null) db += ticks - earlier;
  }
  const client = process.cpuUsage(before.client);
  return {
    appMs: before.app === null || after.app === null ? null : (after.app - before.app) * 10,
    dbMs: db * 10,
    clientMs: (client.user + client.system) / 1000,
  };
}

function perEvent(ms, events) {
  return ms === null || events === 0 ? null : Math.round((ms * 1000) / events);
}

function startApp() {
  const nodeArgs = (process.env.APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return spawn(process.execPath, [...nodeArgs, 'dist/src/main.js'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(PORT),
      DATABASE_URL,
      DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '24',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/10',
      ADMIN_API_KEY,
      ALLOW_SIGNUP: 'true',
      LOCAL_AUTO_VERIFY: 'true',
      RATE_LIMIT_PER_SECOND: '1000000',
      BODY_LIMIT: '4mb',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

async function waitForHealth() {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${BASE}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  throw new Error('The app did not become healthy within 60 s.');
}

async function api(method, path, key, body) {
  const response = await fetch(`${BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function signUp(capabilities) {
  const body = await api('POST', '/v1/accounts', ADMIN_API_KEY, {
    name: 'bench',
    email: `bench-${Math.random().toString(36).slice(2)}@example.com`,
    country: 'US',
    default_currency: 'usd',
    capabilities,
  });
  return { id: body.account.id, key: body.api_key.secret };
}

async function inBatches(count, size, work) {
  const out = [];
  for (let start = 0; start < count; start += size) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(size, count - start) }, (_, i) => work(start + i)))));
  }
  return out;
}

/** Vendors with their share of the products (every token class and per-call priced), payers with mandates. */
async function setUp() {
  const vendors = await inBatches(VENDORS, 10, async () => {
    const vendor = await signUp(['receive']);
    await api('POST', '/v1/account/onboarding_links', vendor.key);
    return { ...vendor, products: [], mandates: [], sent: [] };
  });
  for (let i = 0; i < PRODUCTS; i++) {
    const vendor = vendors[i % VENDORS];
    const product = await api('POST', '/v1/products', vendor.key, { name: `model-${i}`, kind: 'model' });
    await api('POST', '/v1/prices', vendor.key, {
      product: product.id,
      currency: 'usd',
      per_million_tokens: {
        input: '0.15',
        output: '0.60',
        cached_input: '0.075',
        cache_write: '0.30',
        reasoning: '0.60',
      },
      per_call: '0.00001',
      effective_from: Math.floor(Date.now() / 1000) - 3600,
    });
    vendor.products.push(product.id);
  }
  await inBatches(PAYERS, 20, async () => {
    const payer = await signUp(['pay']);
    await api('POST', '/v1/wallet/top_ups', payer.key, { amount: '1000000.00', currency: 'usd' });
    for (const vendor of vendors) {
      const mandate = await api('POST', '/v1/mandates', payer.key, {
        payee: vendor.id,
        currency: 'usd',
        description: 'bench',
      });
      vendor.mandates.push(mandate.id);
    }
  });
  return vendors;
}

let sequence = 0;
const pick = (list) => list[Math.floor(Math.random() * list.length)];
const between = (low, high) => low + Math.floor(Math.random() * (high - low));

function freshEvent(vendor, mandates = vendor.mandates) {
  return {
    id: `evt-${process.pid}-${++sequence}`,
    timestamp: Math.floor(Date.now() / 1000) - between(0, 60),
    mandate: pick(mandates),
    product: pick(vendor.products),
    quantities: {
      input_tokens: between(100, 4000),
      output_tokens: between(20, 1000),
      cached_input_tokens: Math.random() < 0.5 ? 0 : between(100, 8000),
      calls: 1,
    },
  };
}

/** Remembers a bounded sample of events whose request was answered: a client re-sends what it already sent. */
function remember(vendor, events) {
  for (const event of events) {
    if (vendor.sent.length < 20_000) vendor.sent.push(event);
    else vendor.sent[between(0, vendor.sent.length)] = event;
  }
}

/** BATCH events for one vendor, DUPLICATES of them re-sent from earlier, answered requests. */
function batchOf(vendor) {
  const mandates =
    PAYERS_PER_BATCH > 0 ? Array.from({ length: PAYERS_PER_BATCH }, () => pick(vendor.mandates)) : vendor.mandates;
  const events = [];
  for (let i = 0; i < BATCH; i++) {
    events.push(
      vendor.sent.length > 0 && Math.random() < DUPLICATES ? pick(vendor.sent) : freshEvent(vendor, mandates),
    );
  }
  return events;
}

function percentile(sorted, p) {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

async function runBatches(title, vendors, seconds) {
  const latencies = [];
  const outcomes = {};
  let events = 0;
  let failures = 0;
  let turn = 0;
  const cpuBefore = await cpuSnapshot();
  const started = Date.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < deadline) {
        const vendor = vendors[turn++ % vendors.length];
        const batch = batchOf(vendor);
        const body = JSON.stringify({ events: batch });
        const sentAt = performance.now();
        const response = await fetch(`${BASE}/v1/usage_events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${vendor.key}`, 'content-type': 'application/json' },
          body,
        });
        const text = await response.text();
        latencies.push(performance.now() - sentAt);
        if (response.status !== 200) {
          failures++;
          if (failures < 5) console.error(`batch failed: ${response.status} ${text.slice(0, 300)}`);
          continue;
        }
        for (const result of JSON.parse(text).results) {
          const key = result.status === 'rejected' ? `rejected:${result.code}` : result.status;
          outcomes[key] = (outcomes[key] ?? 0) + 1;
        }
        events += BATCH;
        remember(vendor, batch);
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  const cpu = cpuBetween(cpuBefore, await cpuSnapshot());
  latencies.sort((a, b) => a - b);
  const line = {
    scenario: title,
    batch: BATCH,
    payers_per_batch: PAYERS_PER_BATCH || PAYERS,
    concurrency: CONCURRENCY,
    seconds: Math.round(elapsed * 10) / 10,
    events_per_s: Math.round(events / elapsed),
    accepted_per_s: Math.round((outcomes.accepted ?? 0) / elapsed),
    batch_latency_ms: {
      p50: Math.round(percentile(latencies, 50)),
      p90: Math.round(percentile(latencies, 90)),
      p99: Math.round(percentile(latencies, 99)),
      max: Math.round(latencies.at(-1) ?? 0),
    },
    batches: latencies.length,
    failed_batches: failures,
    cpu_us_per_event: {
      app: perEvent(cpu.appMs, events),
      database: perEvent(cpu.dbMs, events),
      client: perEvent(cpu.clientMs, events),
    },
    outcomes,
  };
  console.log(JSON.stringify(line));
  return line;
}

async function runSingles(title, vendors, seconds) {
  const cpuBefore = await cpuSnapshot();
  const line = await autocannonSingles(title, vendors, seconds);
  const cpu = cpuBetween(cpuBefore, await cpuSnapshot());
  const events = Object.values(line.outcomes).reduce((sum, count) => sum + count, 0);
  line.cpu_us_per_event = {
    app: perEvent(cpu.appMs, events),
    database: perEvent(cpu.dbMs, events),
    client: perEvent(cpu.clientMs, events),
  };
  console.log(JSON.stringify(line));
  return line;
}

function autocannonSingles(title, vendors, seconds) {
  return new Promise((resolve, reject) => {
    const outcomes = {};
    let turn = 0;
    const instance = autocannon(
      {
        url: BASE,
        connections: SINGLE_CONNECTIONS,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            path: '/v1/usage_events',
            setupRequest: (request) => {
              const vendor = vendors[turn++ % vendors.length];
              request.headers = {
                ...request.headers,
                authorization: `Bearer ${vendor.key}`,
                'content-type': 'application/json',
              };
              const event = freshEvent(vendor);
              remember(vendor, [event]);
              request.body = JSON.stringify(event);
              return request;
            },
            onResponse: (status, body) => {
              const key = status === 200 ? JSON.parse(body).results[0].status : String(status);
              outcomes[key] = (outcomes[key] ?? 0) + 1;
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const line = {
          scenario: title,
          connections: SINGLE_CONNECTIONS,
          events_per_s: Math.round(result.requests.average),
          accepted_per_s: Math.round((outcomes.accepted ?? 0) / seconds),
          latency_ms: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
          non2xx: result.non2xx,
          errors: result.errors,
          outcomes,
        };
        resolve(line);
      },
    );
    process.once('SIGINT', () => instance.stop());
  });
}

const BASELINE_COLUMNS = [
  'id',
  'account_id',
  'event_id',
  'occurred_at',
  'mandate_id',
  'payer_account_id',
  'product_id',
  'price_id',
  'currency',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'calls',
  'amount',
  'exact_numerator',
  'exact_denominator',
  'fee',
  'authorization_id',
  'ledger_reference',
  'metadata',
  'created_at',
];

/**
 * The same event rows, straight into PostgreSQL: multi-row INSERTs of BATCH rows (sorted by event id) into a table
 * shaped like usage_events (not partitioned) with only a unique index on (account, event id), ON CONFLICT DO
 * NOTHING, over CONCURRENCY connections.
 */
async function runBaseline(title, vendors, seconds) {
  const setup = new pg.Client({ connectionString: DATABASE_URL });
  await setup.connect();
  await setup.query('DROP TABLE IF EXISTS baseline_usage_events');
  await setup.query('CREATE TABLE baseline_usage_events (LIKE usage_events INCLUDING DEFAULTS)');
  await setup.query('CREATE UNIQUE INDEX ON baseline_usage_events (account_id, event_id)');
  await setup.end();
  const placeholders = Array.from(
    { length: BATCH },
    (_, row) => `(${BASELINE_COLUMNS.map((_, column) => `$${row * BASELINE_COLUMNS.length + column + 1}`).join(', ')})`,
  ).join(', ');
  const sql = `INSERT INTO baseline_usage_events (${BASELINE_COLUMNS.join(', ')}) VALUES ${placeholders}
    ON CONFLICT (account_id, event_id) DO NOTHING`;
  const rowsOf = (vendor) => {
    const events = batchOf(vendor);
    remember(vendor, events);
    const now = new Date();
    // In event id order, as the API inserts its dedup keys: concurrent batches sharing ids then cannot deadlock.
    events.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return events.flatMap((e) => [
      `ue_${e.id}`,
      vendor.id,
      e.id,
      new Date(e.timestamp * 1000),
      e.mandate,
      'acct_payer',
      e.product,
      'price_x',
      'usd',
      e.quantities.input_tokens,
      e.quantities.output_tokens,
      e.quantities.cached_input_tokens,
      0,
      0,
      1,
      '1234567',
      '1234567',
      '1',
      '30864',
      null,
      'usage:acct_x:0123456789abcdefghijklmnopqrstuvwxyz0123456',
      null,
      now,
    ]);
  };
  let rows = 0;
  let turn = 0;
  const latencies = [];
  const started = Date.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      try {
        while (Date.now() < deadline) {
          const params = rowsOf(vendors[turn++ % vendors.length]);
          const sentAt = performance.now();
          await client.query(sql, params);
          latencies.push(performance.now() - sentAt);
          rows += BATCH;
        }
      } finally {
        await client.end();
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const line = {
    scenario: title,
    batch: BATCH,
    concurrency: CONCURRENCY,
    events_per_s: Math.round(rows / elapsed),
    batch_latency_ms: { p50: Math.round(percentile(latencies, 50)), p99: Math.round(percentile(latencies, 99)) },
  };
  console.log(JSON.stringify(line));
  return line;
}

async function main() {
  const external = process.env.EXTERNAL_APP === '1';
  if (!external) {
    const name = new URL(DATABASE_URL).pathname.slice(1);
    await maintenanceQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
  const app = external ? null : startApp();
  appPid = app?.pid ?? (process.env.APP_PID ? Number(process.env.APP_PID) : null);
  try {
    await waitForHealth();
    const setUpStarted = Date.now();
    const vendors = await setUp();
    console.log(
      `Set up ${VENDORS} vendors, ${PRODUCTS} products, ${PAYERS} payers with ${PAYERS * VENDORS} mandates in ` +
        `${Math.round((Date.now() - setUpStarted) / 1000)} s.`,
    );
    const results = {};
    if (SCENARIO === 'all' || SCENARIO === 'batch') {
      await runBatches('warm-up', vendors, WARMUP_S);
      results.batch = await runBatches(`batches of ${BATCH}, ${DUPLICATES * 100}% duplicates`, vendors, DURATION);
    }
    if (SCENARIO === 'all' || SCENARIO === 'single') {
      await runSingles('warm-up', vendors, WARMUP_S);
      results.single = await runSingles('single-event requests', vendors, DURATION);
    }
    if (SCENARIO === 'all' || SCENARIO === 'baseline') {
      await runBaseline('warm-up', vendors, WARMUP_S);
      results.baseline = await runBaseline('raw PostgreSQL multi-row INSERT baseline', vendors, DURATION);
    }
    if (results.batch && results.baseline) {
      console.log(
        JSON.stringify({
          summary: 'batch ingestion vs raw INSERT',
          api_events_per_s: results.batch.events_per_s,
          api_accepted_per_s: results.batch.accepted_per_s,
          baseline_events_per_s: results.baseline.events_per_s,
          ratio: Math.round((results.batch.events_per_s / results.baseline.events_per_s) * 100) / 100,
        }),
      );
    }
  } finally {
    app?.kill('SIGTERM');
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
