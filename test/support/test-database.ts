import pg from 'pg';
import { runMigrations } from '../../src/database/ensure-database.js';
import { TEST_DATABASE_URL } from './test-env.js';

let prepared: Promise<void> | null = null;

/** Migrates the test database once per worker; an advisory lock keeps concurrent workers from racing. */
export function prepareTestDatabase(): Promise<void> {
  prepared ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query('SELECT pg_advisory_lock(774411)');
      await runMigrations(TEST_DATABASE_URL);
    } finally {
      await client.query('SELECT pg_advisory_unlock(774411)').catch(() => undefined);
      await client.end();
    }
  })();
  return prepared;
}
