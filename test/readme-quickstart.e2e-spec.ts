import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startTestApp, TestApp } from './support/test-app.js';
import { TEST_ADMIN_KEY } from './support/test-env.js';

/** The shell blocks of every README section whose heading mentions "Quickstart", in order. */
function quickstartScripts(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const sections = readme.split(/^(?=#{2,3} )/m).filter((section) => /^#{2,3} .*Quickstart/i.test(section));
  return sections.flatMap((section) => [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]));
}

describe('README quickstart', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOCAL_AUTO_VERIFY: 'true' });
  });
  afterAll(() => t.close());

  it('runs verbatim against a live server, every request answering 2xx', async () => {
    const scripts = quickstartScripts();
    expect(scripts.length).toBeGreaterThan(0);
    const port = (t.app.getHttpServer().address() as { port: number }).port;
    // Only the host changes; curl fails the script on any 4xx/5xx so a broken step cannot pass silently.
    const script = [
      'set -euo pipefail',
      'curl() { command curl --fail-with-body "$@"; }',
      ...scripts.map((body) => body.replaceAll('http://localhost:3000', `http://127.0.0.1:${port}`)),
    ].join('\n');
    // Asynchronous: the server answering the script runs in this very process.
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        'bash',
        ['-c', script],
        { env: { ...process.env, ADMIN_API_KEY: TEST_ADMIN_KEY }, timeout: 60_000 },
        (error, out, err) =>
          error ? reject(new Error(`quickstart failed: ${error.message}\n${out}\n${err}`)) : resolve(out),
      ),
    );
    expect(stdout).toContain('"object":"account"');
    // The walkthrough's money movements happened, not merely answered 2xx.
    expect(stdout).not.toMatch(/"status":"(failed|rejected|conflict)"/);
    expect(stdout).toMatch(/"object":"payment"[^\n]*"status":"succeeded"/);
    expect(stdout).toMatch(/"object":"refund"/);
    expect(stdout.match(/"status":"accepted"/g)?.length).toBe(2);
  });
});
