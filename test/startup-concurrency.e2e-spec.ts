import type { ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import pg from 'pg';
import { AiReceiveApi, createClient, HealthView } from '../libs/sdk/src/index.js';
import { ALL_MIGRATIONS } from '../migrations/index.js';
import { WEBHOOK_DELIVERIES_QUEUE } from '../src/common/queues.js';
import { CompiledApp, exited } from './support/compiled-app.js';
import { freePort, PrivateRedis } from './support/private-services.js';
import { TEST_ADMIN_KEY, TEST_DATABASE_URL } from './support/test-env.js';

/** How long every process gets to come up, all three starting at once on a database that does not exist yet. */
const STARTUP_MS = 25_000;

/** A database of this suite's own on the test server, and a connection to that server's maintenance database. */
function ownDatabase(suffix: string): { url: string; name: string; maintenanceUrl: string } {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `${url.pathname}_${suffix}`;
  const name = decodeURIComponent(url.pathname.slice(1));
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  return { url: url.toString(), name, maintenanceUrl: maintenance.toString() };
}

async function onServer<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

interface Started {
  role: 'api' | 'worker';
  port: number | null;
  child: ChildProcess;
}

function describeExit(started: Started): string {
  const { child } = started;
  return `${started.role}${started.port ? ` on port ${started.port}` : ''} exited (${child.signalCode ?? child.exitCode})`;
}

/** Polls GET /health through the SDK until it answers 200; fails at once if the process has exited. */
async function healthy(started: Started, deadline: number): Promise<HealthView> {
  const client = createClient(`http://127.0.0.1:${started.port}`);
  let last = 'no answer';
  for (;;) {
    if (started.child.exitCode !== null || started.child.signalCode !== null) {
      throw new Error(`${describeExit(started)} before /health answered 200.`);
    }
    try {
      return await client.healthHealth();
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`api on port ${started.port}: no 200 from /health in time (${last}).`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Processes started together on a database that does not exist yet', () => {
  const database = ownDatabase('concurrent_startup');
  let app: CompiledApp;
  let redis: PrivateRedis;
  const processes: Started[] = [];

  const dropDatabase = () =>
    onServer(database.maintenanceUrl, (client) =>
      client.query(`DROP DATABASE IF EXISTS "${database.name}" WITH (FORCE)`),
    );

  beforeAll(async () => {
    app = await CompiledApp.build();
    // A Redis of its own: a worker on the shared test Redis db would take other suites' jobs.
    redis = await PrivateRedis.start();
    await dropDatabase();
  }, 120_000);

  afterAll(async () => {
    for (const { child } of processes) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await Promise.all(processes.map(({ child }) => exited(child)));
    await dropDatabase();
    await redis?.stop();
    await app?.remove();
  });

  it('creates and migrates the database once, and every process comes up and serves', async () => {
    const ports = [await freePort(), await freePort()];
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      DATABASE_POOL_SIZE: '4',
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      PAYOUT_TICK_SECONDS: '0',
    };
    const found = await onServer(database.maintenanceUrl, (client) =>
      client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database.name]),
    );
    expect(found.rowCount).toBe(0);

    // All three at the same moment: each one creates the database if it is missing, then runs the migrations.
    const started = Date.now();
    processes.push(
      ...ports.map((port): Started => ({
        role: 'api',
        port,
        child: app.start({ ...env, APP_ROLE: 'api', PORT: String(port) }),
      })),
      { role: 'worker', port: null, child: app.start({ ...env, APP_ROLE: 'worker' }) },
    );
    const deadline = started + STARTUP_MS;

    const apis = processes.filter((p) => p.role === 'api');
    const health = await Promise.all(apis.map((api) => healthy(api, deadline)));
    expect(health).toEqual(apis.map(() => ({ status: 'ok', postgres: 'up', redis: 'up' })));

    // The worker has no HTTP port: it is up once its BullMQ workers listen (APP_ROLE=api registers none).
    const queue = new Queue(WEBHOOK_DELIVERIES_QUEUE, { connection: { url: redis.url }, prefix: 'air' });
    try {
      const worker = processes.find((p) => p.role === 'worker')!;
      while ((await queue.getWorkersCount()) === 0) {
        if (worker.child.exitCode !== null || worker.child.signalCode !== null) {
          throw new Error(`${describeExit(worker)} before its queues were listening.`);
        }
        if (Date.now() > deadline) throw new Error('The worker did not start processing queues in time.');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await queue.close();
    }

    // Every migration ran exactly once.
    const rows = await onServer(database.url, (client) =>
      client.query<{ name: string; runs: string }>(
        'SELECT name, count(*) AS runs FROM schema_migrations GROUP BY name ORDER BY name',
      ),
    );
    const expected = ALL_MIGRATIONS.map((migration) => new migration().name!).sort();
    expect(rows.rows).toEqual(expected.map((name) => ({ name, runs: '1' })));

    // They share one working database: an account signed up on one API reads back on the other.
    const [first, second] = apis.map((api): AiReceiveApi =>
      createClient(`http://127.0.0.1:${api.port}`, TEST_ADMIN_KEY),
    );
    const signup = await first.accountsSignup({
      name: 'Started together',
      email: 'started-together@example.com',
      country: 'US',
      default_currency: 'usd',
      capabilities: ['receive', 'pay'],
    });
    expect((await second.adminAccountsGet(signup.account.id)).id).toBe(signup.account.id);
    const mine = await createClient(`http://127.0.0.1:${apis[1].port}`, signup.api_key.secret).accountsGet();
    expect(mine).toMatchObject({ id: signup.account.id, name: 'Started together' });

    // Nobody crashed on the way.
    expect(
      processes.filter(({ child }) => child.exitCode !== null || child.signalCode !== null).map(describeExit),
    ).toEqual([]);
  });
});
