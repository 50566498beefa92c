import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { TestApp } from './test-app.js';
import { TEST_ADMIN_KEY } from './test-env.js';

/** The ```sh blocks, in order, of the sections of `file` whose heading matches `heading`. */
export function shellBlocks(file: string, heading: RegExp): string[] {
  const sections = readFileSync(file, 'utf8')
    .split(/^(?=#{2,3} )/m)
    .filter((section) => heading.test(section.split('\n', 1)[0]));
  return sections.flatMap((section) => [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]));
}

/**
 * Runs documented commands verbatim against a live test app and returns their output. Only the host changes, and
 * curl fails the script on any 4xx/5xx, so a broken step cannot pass silently. Asynchronous, because the server
 * answering the script runs in this very process.
 */
export function runDocumentedCommands(t: TestApp, blocks: string[]): Promise<string> {
  const port = (t.app.getHttpServer().address() as { port: number }).port;
  const script = [
    'set -euo pipefail',
    'cd "$(mktemp -d)"',
    'curl() { command curl --fail-with-body "$@"; }',
    ...blocks.map((body) => body.replaceAll('http://localhost:3000', `http://127.0.0.1:${port}`)),
  ].join('\n');
  return new Promise<string>((resolve, reject) =>
    execFile(
      'bash',
      ['-c', script],
      { env: { ...process.env, ADMIN_API_KEY: TEST_ADMIN_KEY }, timeout: 60_000 },
      (error, out, err) =>
        error ? reject(new Error(`commands failed: ${error.message}\n${out}\n${err}`)) : resolve(out),
    ),
  );
}
