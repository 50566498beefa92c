import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Response } from 'supertest';
import { AiReceiveError, type AiReceiveApi } from '../libs/sdk/src/index.js';
import { CREDENTIAL_TTL_MS } from '../src/common/auth/credential.repository.js';
import { RateLimiter } from '../src/common/auth/rate-limiter.js';
import { REDIS } from '../src/common/redis/redis.module.js';
import { auth, signUp } from './support/factories.js';
import { sdkFor } from './support/sdk.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { TEST_ADMIN_KEY } from './support/test-env.js';

/** How long a change may take to reach the other process: the pub/sub message's delivery, far below the TTL. */
const PROPAGATION_MS = 200;

interface Outcome {
  /** 200, or the error's status. */
  status: number;
  code?: string;
  /** When the request that gave this outcome was sent (ms since the epoch). */
  sentAt: number;
}

async function outcome(call: () => Promise<unknown>): Promise<Outcome> {
  const sentAt = Date.now();
  try {
    await call();
    return { status: 200, sentAt };
  } catch (error) {
    if (!(error instanceof AiReceiveError)) throw error;
    return { status: error.status, code: error.code, sentAt };
  }
}

/**
 * Repeats `call` until its status is `status`, for at most PROPAGATION_MS: only the invalidation message may be
 * waited for, never the cache's TTL. Returns the first matching outcome, or the last one seen.
 */
async function untilStatus(status: number, call: () => Promise<unknown>): Promise<Outcome> {
  const deadline = Date.now() + PROPAGATION_MS;
  for (;;) {
    const seen = await outcome(call);
    if (seen.status === status || Date.now() >= deadline) return seen;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every `ratelimit:<keyId>:<second>` counter now in Redis, by second. */
async function rateCounters(redis: Redis, keyId: string): Promise<Map<number, number>> {
  const keys = await redis.keys(`ratelimit:${keyId}:*`);
  const values = keys.length ? await redis.mget(keys) : [];
  return new Map(keys.map((key, i) => [Number(key.split(':')[2]), Number(values[i])]));
}

/** Waits for the next one-second window to begin, so a short burst most likely stays inside one window. */
async function nextSecond(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
}

describe('credential cache across two processes', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp();
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const admin = (t: TestApp): AiReceiveApi => sdkFor(t, TEST_ADMIN_KEY);

  it('refuses a key revoked on one process on the other at once, not after the cache TTL', async () => {
    const account = await signUp(a);
    const onB = sdkFor(b, account.secret);
    const warmed = await outcome(() => onB.accountsGet());
    expect(warmed.status).toBe(200);

    await sdkFor(a, account.secret).apiKeysRevoke(account.keyId);
    const refused = await untilStatus(401, () => onB.accountsGet());

    expect(refused).toMatchObject({ status: 401, code: 'api_key_revoked' });
    // B looked the key up at `warmed` and would trust that answer for CREDENTIAL_TTL_MS without the message.
    expect(refused.sentAt - warmed.sentAt).toBeLessThan(CREDENTIAL_TTL_MS * 0.6);
  });

  it('refuses a suspended account on the other process at once, and serves it again once reinstated', async () => {
    const account = await signUp(a);
    const onB = sdkFor(b, account.secret);
    const warmed = await outcome(() => onB.accountsGet());
    expect(warmed.status).toBe(200);

    await admin(a).adminAccountsSuspend(account.id);
    const suspended = await untilStatus(403, () => onB.accountsGet());
    expect(suspended).toMatchObject({ status: 403, code: 'account_suspended' });
    expect(suspended.sentAt - warmed.sentAt).toBeLessThan(CREDENTIAL_TTL_MS * 0.6);

    // B now holds the suspended answer; the reinstatement must clear it too.
    await admin(a).adminAccountsReinstate(account.id);
    const reinstated = await untilStatus(200, () => onB.accountsGet());
    expect(reinstated.status).toBe(200);
    expect(reinstated.sentAt - suspended.sentAt).toBeLessThan(CREDENTIAL_TTL_MS * 0.6);
  });

  it('stops the old key on the other process at once after a roll with no overlap; the new key works there', async () => {
    const account = await signUp(a);
    const onB = sdkFor(b, account.secret);
    const warmed = await outcome(() => onB.accountsGet());
    expect(warmed.status).toBe(200);

    const successor = await sdkFor(a, account.secret).apiKeysRoll(account.keyId, { expires_in_hours: 0 });
    const expired = await untilStatus(401, () => onB.accountsGet());
    expect(expired).toMatchObject({ status: 401, code: 'api_key_expired' });
    expect(expired.sentAt - warmed.sentAt).toBeLessThan(CREDENTIAL_TTL_MS * 0.6);

    const me = await sdkFor(b, successor.secret).accountsGet();
    expect(me.id).toBe(account.id);
    expect(await outcome(() => sdkFor(a, account.secret).accountsGet())).toMatchObject({
      status: 401,
      code: 'api_key_expired',
    });
  });

  it('serves a newly created key at once on both processes, though unknown keys were just refused', async () => {
    const account = await signUp(a);
    const unknown = account.secret.slice(0, -8) + 'zzzzzzzz';
    for (const t of [a, b]) {
      expect(await outcome(() => sdkFor(t, unknown).accountsGet())).toMatchObject({ status: 401 });
    }
    const onA = sdkFor(a, account.secret);
    const created = await onA.apiKeysCreate({ name: 'fresh' });
    // No wait at all: a key that was never looked up cannot be in either cache.
    expect((await sdkFor(b, created.secret).accountsGet()).id).toBe(account.id);
    expect((await sdkFor(a, created.secret).accountsGet()).id).toBe(account.id);
  });
});

describe('rate limit budget shared by two processes', () => {
  const LIMIT = 20;
  let a: TestApp;
  let b: TestApp;
  let redis: Redis;
  beforeAll(async () => {
    a = await startTestApp({ RATE_LIMIT_PER_SECOND: String(LIMIT) });
    b = await startTestApp({ RATE_LIMIT_PER_SECOND: String(LIMIT) });
    redis = a.app.get<Redis>(REDIS);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('never grants more than the limit in a window across both processes; the rest get 429 rate_limited', async () => {
    const account = await signUp(a);
    await nextSecond();
    const responses: Response[] = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).http.get('/v1/account').set(auth(account))),
    );
    const counters = await rateCounters(redis, account.keyId);

    const served = responses.filter((r) => r.status === 200);
    const limited = responses.filter((r) => r.status === 429);
    expect(served.length + limited.length).toBe(responses.length);
    expect(limited.length).toBeGreaterThan(0);
    for (const response of limited) {
      expect(response.headers['retry-after']).toBe('1');
      expect(response.body.error.code).toBe('rate_limited');
    }
    // The burst may straddle two windows.
    expect(counters.size).toBeGreaterThanOrEqual(1);
    expect(counters.size).toBeLessThanOrEqual(2);
    expect(served.length).toBeLessThanOrEqual(2 * LIMIT);
    // Redis granted min(counter, LIMIT) in each window, and nothing was served beyond what Redis granted.
    let granted = 0;
    for (const counter of counters.values()) granted += Math.min(counter, LIMIT);
    expect(served.length).toBeLessThanOrEqual(granted);
    expect(served.length).toBeGreaterThan(0);
  });

  it('serves every request of a concurrent burst within the limit: one reservation in flight per process', async () => {
    const limiter = a.app.get(RateLimiter, { strict: false });
    const subject = `key_${randomUUID()}`;
    // All calls start in the same tick, before any reservation has come back from Redis.
    const results = await Promise.allSettled(Array.from({ length: LIMIT }, () => limiter.consume(subject)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const counters = await rateCounters(redis, subject);
    // Each window got only the chunks (of LIMIT / 10) its requests needed.
    for (const counter of counters.values()) expect(counter % (LIMIT / 10)).toBe(0);
    expect([...counters.values()].reduce((sum, counter) => sum + counter, 0)).toBeLessThanOrEqual(
      LIMIT + counters.size * (LIMIT / 10),
    );
  });
});

describe('rate limit reservations', () => {
  const LIMIT = 1000;
  const CHUNK = 100;
  let t: TestApp;
  let redis: Redis;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_SECOND: String(LIMIT) });
    redis = t.app.get<Redis>(REDIS);
  });
  afterAll(() => t.close());

  it('reserves the budget from Redis a chunk at a time, not on every request', async () => {
    const account = await signUp(t);
    // Snapshots after every batch: a window's counter expires two seconds after its last reservation.
    const counters = new Map<number, number>();
    const statuses: number[] = [];
    for (let batch = 0; batch < 15; batch++) {
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => t.http.get('/v1/account').set(auth(account))),
      );
      statuses.push(...responses.map((r) => r.status));
      for (const [second, value] of await rateCounters(redis, account.keyId)) counters.set(second, value);
    }
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(statuses).toHaveLength(150);
    let reservations = 0;
    for (const value of counters.values()) {
      expect(value % CHUNK).toBe(0);
      reservations += value / CHUNK;
    }
    // 150 requests need two chunks, or one more per extra window they spread over: never one per request.
    expect(reservations).toBeGreaterThanOrEqual(2);
    expect(reservations).toBeLessThanOrEqual(counters.size + 1);
  });

  it('serves a concurrent HTTP burst within the limit in full', async () => {
    const account = await signUp(t);
    await t.http.get('/v1/account').set(auth(account)).expect(200);
    await nextSecond();
    const responses = await Promise.all(
      Array.from({ length: 300 }, () => t.http.get('/v1/account').set(auth(account))),
    );
    expect(responses.filter((r) => r.status !== 200).map((r) => r.status)).toEqual([]);
  });
});
