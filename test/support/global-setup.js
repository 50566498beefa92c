// Once per `npm test`, before any worker starts: a fresh test database and an empty Redis db.
// Plain JavaScript because Jest loads this file outside its TypeScript transform; the workers migrate
// the database on first use (test/support/test-database.ts).
import pg from 'pg';
import { Redis } from 'ioredis';

const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@localhost:5432/ai_receive_test';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/1';

export default async function globalSetup() {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const redis = new Redis(redisUrl);
  await redis.flushdb();
  redis.disconnect();
}
