import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startTestApp, TestApp } from './support/test-app.js';
import { TEST_ADMIN_KEY } from './support/test-env.js';

/** The shell blocks of the walkthrough in docs/incentives.md, in order. */
function walkthrough(): string[] {
  const doc = readFileSync('docs/incentives.md', 'utf8');
  const section = doc.split(/^(?=## )/m).find((part) => part.startsWith('## Run a program end to end'));
  return [...(section ?? '').matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]);
}

describe('docs/incentives.md', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOCAL_AUTO_VERIFY: 'true' });
  });
  afterAll(() => t.close());

  it('runs the operator walkthrough verbatim against a live server, every request answering 2xx', async () => {
    const blocks = walkthrough();
    expect(blocks.length).toBeGreaterThanOrEqual(7);
    const port = (t.app.getHttpServer().address() as { port: number }).port;
    // Only the host changes; curl fails the script on any 4xx/5xx so a broken step cannot pass silently.
    const script = [
      'set -euo pipefail',
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
    // The budget paid half of the first call (the wallet kept 47.00 of 50.00), the report saw it, the vendor's
    // fee was rebated, the sign-up credit landed (50.00 − 6.00 + 3.00 − 3.00 + 1.50 + 5.00) and the program ended.
    expect(stdout).toContain('"available":"47.00"');
    expect(stdout).toContain('"object":"incentive_program_report"');
    expect(stdout).toContain('"type":"fee_rebate"');
    expect(stdout).toContain('"available":"50.50"');
    expect(stdout).toContain('"status":"ended"');
  });
});
