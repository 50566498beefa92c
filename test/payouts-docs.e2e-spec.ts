import { runDocumentedCommands, shellBlocks } from './support/doc-commands.js';
import { PrivateRedis, privateDatabase } from './support/private-services.js';
import { startTestApp, TestApp } from './support/test-app.js';

describe('docs/payouts.md', () => {
  let t: TestApp;
  let redis: PrivateRedis;
  // Its own database and Redis: the walkthrough reconciles every payout of the day, which must be its own.
  beforeAll(async () => {
    redis = await PrivateRedis.start();
    t = await startTestApp({
      DATABASE_URL: await privateDatabase('payout_docs'),
      REDIS_URL: redis.url,
      LOCAL_AUTO_VERIFY: 'true',
      PAYOUT_TICK_SECONDS: '0',
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('runs the payout walkthrough verbatim against a live server, every request answering 2xx', async () => {
    const blocks = shellBlocks('docs/payouts.md', /^## Walk through a payout/);
    expect(blocks.length).toBe(5);
    const stdout = await runDocumentedCommands(t, blocks);
    expect(stdout).toMatch(/"object":"payout"[^\n]*"status":"paid"/);
    expect(stdout).toContain('"balanced":true');
    expect(stdout).toContain('"lines_total":"11.4075"');
    expect(stdout).toContain('"closing_balance":"0.0075"');
    expect(stdout).toContain('"type":"refund"');
    expect(stdout).toContain('"type":"reserve_hold"');
    expect(stdout).toMatch(/^opening_balance,/m);
    expect(stdout).toMatch(/^closing_balance,[^\n]*,0\.0075,usd$/m);
    expect(stdout).toContain('"object":"reconciliation_run"');
    expect(stdout).toContain('"exceptions_found":0');
    expect(stdout).toContain('"data":[]');
  }, 90_000);
});
