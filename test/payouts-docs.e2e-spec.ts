import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PrivateRedis, privateDatabase } from './support/private-services.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { TEST_ADMIN_KEY } from './support/test-env.js';

/** The shell blocks of the walkthrough in docs/payouts.md, in order. */
function walkthrough(): string[] {
  const doc = readFileSync('docs/payouts.md', 'utf8');
  const section = doc.split(/^(?=## )/m).find((part) => part.startsWith('## Walk through a payout'));
  return [...(section ?? '').matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]);
}

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
    const blocks = walkthrough();
    expect(blocks.length).toBe(5);
    const port = (t.app.getHttpServer().address() as { port: number }).port;
    // Only the host changes; curl fails the script on any 4xx/5xx so a broken step cannot pass silently.
    const script = [
      'set -euo pipefail',
      'cd "$(mktemp -d)"',
      'curl() { command curl --fail-with-body "$@"; }',
      ...blocks.map((body) => body.replaceAll('http://localhost:3000', `http://127.0.0.1:${port}`)),
    ].join('\n');
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        'bash',
        ['-c', script],
        { env: { ...process.env, ADMIN_API_KEY: TEST_ADMIN_KEY }, timeout: 60_000 },
        (error, out, err) =>
          error ? reject(new Error(`walkthrough failed: ${error.message}\n${out}\n${err}`)) : resolve(out),
      ),
    );
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
