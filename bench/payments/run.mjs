// Load benchmark of POST /v1/payments against the compiled app (see bench/README.md, "Payments").
//   npx tsc -p tsconfig.build.json && node bench/payments/run.mjs
// Load: bench/support/steady-load.mjs, an open-loop generator (requests evenly spaced at RATE).
// Options (env): RATE (requests/s, default 1000), DURATION (s, default 20), MANDATES (default 1000),
// CONNECTIONS (most requests in flight, default 64), SCENARIO (spread | one-wallet | both, default both), PORT (default 3460).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeConnections, steadyLoad } from '../support/steady-load.mjs';

const PORT = Number(process.env.PORT ?? 3460);
const BASE = `http://127.0.0.1:${PORT}`;
const RATE = Number(process.env.RATE ?? 1000);
const DURATION = Number(process.env.DURATION ?? 20);
const MANDATES = Number(process.env.MANDATES ?? 1000);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 64);
const RECEIVERS = Number(process.env.RECEIVERS ?? 100);
const SCENARIO = process.env.SCENARIO ?? 'both';
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@localhost:5432/ai_receive_bench_payments';
const ADMIN_API_KEY = 'bench_admin_key_0123456789abcdefghij';

async function dropDatabase() {
  const pg = (await import('pg')).default;
  const url = new URL(DATABASE_URL);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
}

/** `role` is APP_ROLE: `all` (API and workers), `api` or `worker`. */
function startApp(role, port = PORT) {
  const nodeArgs = (process.env.APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, 'dist/src/main.js'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      APP_ROLE: role,
      PORT: String(port),
      DATABASE_URL,
      DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '24',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/9',
      ADMIN_API_KEY,
      ALLOW_SIGNUP: 'true',
      LOCAL_AUTO_VERIFY: 'true',
      RATE_LIMIT_PER_SECOND: '1000000',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return child;
}

async function waitForHealth(base = BASE) {
  for (let i = 0; i < 120; i++) {
    try {
      const response = await fetch(`${base}/health`);
      if (response.ok) return;
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
    const batch = await Promise.all(Array.from({ length: Math.min(size, count - start) }, (_, i) => work(start + i)));
    out.push(...batch);
  }
  return out;
}

/** Receivers and mandates: `payers` distinct funded wallets, `MANDATES` mandates spread over them. */
async function setUp(payerCount) {
  const receivers = await inBatches(RECEIVERS, 10, async () => {
    const receiver = await signUp(['receive']);
    await api('POST', '/v1/account/onboarding_links', receiver.key);
    return receiver;
  });
  const payers = await inBatches(payerCount, 20, async () => {
    const payer = await signUp(['pay']);
    await api('POST', '/v1/wallet/top_ups', payer.key, { amount: '1000000.00', currency: 'usd' });
    return payer;
  });
  return inBatches(MANDATES, 20, async (i) => {
    const payer = payers[i % payers.length];
    const receiver = receivers[i % receivers.length];
    const mandate = await api('POST', '/v1/mandates', payer.key, {
      payee: receiver.id,
      currency: 'usd',
      description: 'bench',
      max_amount_per_payment: '10.00',
      max_amount_per_day: '1000000.00',
      total_budget: '1000000.00',
    });
    return { mandate: mandate.id, receiverKey: receiver.key };
  });
}

/** CPU seconds used so far by a process (Linux /proc), user + system. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds of every PostgreSQL process (the server's backends do the database work). */
/** CPU seconds of each PostgreSQL process now, by pid. */
function postgresCpuByPid() {
  const byPid = new Map();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') byPid.set(pid, cpuSeconds(pid));
    } catch {
      // the process ended
    }
  }
  return byPid;
}

/**
 * PostgreSQL CPU seconds spent since `before` (a postgresCpuByPid reading): per process, so that a backend that
 * exits in between (an idle pool connection closing) does not take its earlier CPU out of the total.
 */
function postgresCpuSince(before) {
  let total = 0;
  for (const [pid, seconds] of postgresCpuByPid()) total += seconds - (before.get(pid) ?? 0);
  return total;
}

let appPid = null;
let workerPid = null;
/** API_PROCESSES > 1: more API processes on the following ports, requests taking turns between them. */
const apiPorts = Array.from({ length: Number(process.env.API_PROCESSES ?? 1) }, (_, i) => PORT + i);
let extraApiPids = [];

async function run(title, targets, duration = DURATION) {
  const cpuBefore = {
    app: appPid ? cpuSeconds(appPid) + extraApiPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0) : 0,
    worker: workerPid ? cpuSeconds(workerPid) : 0,
    db: postgresCpuByPid(),
    client: process.cpuUsage(),
  };
  const result = await steadyLoad({
    url: apiPorts.map((port) => `http://127.0.0.1:${port}`),
    rate: RATE,
    duration,
    connections: CONNECTIONS,
    request: (i) => {
      const target = targets[i % targets.length];
      return {
        method: 'POST',
        path: '/v1/payments',
        headers: { authorization: `Bearer ${target.receiverKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ mandate: target.mandate, amount: '0.01', currency: 'usd' }),
      };
    },
    classify: (status, body) => (status === 201 ? JSON.parse(body).status : String(status)),
  });
  const appCpu = appPid
    ? cpuSeconds(appPid) + extraApiPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0) - cpuBefore.app
    : 0;
  const workerCpu = workerPid ? cpuSeconds(workerPid) - cpuBefore.worker : 0;
  const dbCpu = postgresCpuSince(cpuBefore.db);
  const clientCpu = process.cpuUsage(cpuBefore.client);
  const line = {
    scenario: title,
    target_rate: RATE,
    achieved_rps: result.achievedRate,
    latency_ms: result.latency,
    worst_latency_ms_per_second: result.worstPerSecond,
    client_worst_tick_gap_ms_per_second: result.worstTickGap,
    requests: result.requests,
    errors: result.errors,
    ...(result.errors > 0 ? { error_codes: result.errorCodes } : {}),
    outcomes: result.outcomes,
    // CPU per request: what the rate would be if the app (one process) or the database had a core to itself.
    app_cpu_ms_per_request: appPid ? Number(((appCpu * 1000) / result.requests).toPrecision(3)) : null,
    worker_cpu_ms_per_request: workerPid ? Number(((workerCpu * 1000) / result.requests).toPrecision(3)) : null,
    db_cpu_ms_per_request: Number(((dbCpu * 1000) / result.requests).toPrecision(3)),
    // The load generator's own share of the same two cores.
    client_cpu_ms_per_request: Number(((clientCpu.user + clientCpu.system) / 1000 / result.requests).toPrecision(3)),
    load_average: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  };
  console.log(JSON.stringify(line));
  return line;
}

async function main() {
  // EXTERNAL_APP=1: benchmark an app started by hand (e.g. under a profiler) on PORT with the same env.
  const external = process.env.EXTERNAL_APP === '1';
  if (!external) await dropDatabase();
  // TOPOLOGY=single (default): one process, API and workers, as `npm start` runs; `split`: an API process and a worker.
  const split = (process.env.TOPOLOGY ?? 'single') === 'split';
  const app = external ? null : startApp(split ? 'api' : 'all');
  const worker = !external && split ? startApp('worker') : null;
  const extraApis = external || !split ? [] : apiPorts.slice(1).map((port) => startApp('api', port));
  extraApiPids = extraApis.map((child) => child.pid);
  appPid = app?.pid ?? (process.env.APP_PID ? Number(process.env.APP_PID) : null);
  workerPid = worker?.pid ?? null;
  try {
    for (const port of apiPorts) await waitForHealth(`http://127.0.0.1:${port}`);
    if (SCENARIO === 'spread' || SCENARIO === 'both') {
      const targets = await setUp(MANDATES);
      console.log(`Set up ${targets.length} mandates over ${MANDATES} wallets; warming up…`);
      await run('warm-up', targets, 5);
      await run(`spread over ${MANDATES} mandates and wallets`, targets);
    }
    if (SCENARIO === 'one-wallet' || SCENARIO === 'both') {
      const targets = await setUp(1);
      await run('warm-up', targets, 5);
      await run(`all on one wallet (${MANDATES} mandates)`, targets);
    }
  } finally {
    closeConnections();
    app?.kill('SIGTERM');
    worker?.kill('SIGTERM');
    for (const api of extraApis) api.kill('SIGTERM');
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
