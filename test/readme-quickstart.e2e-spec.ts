import { runDocumentedCommands, shellBlocks } from './support/doc-commands.js';
import { startTestApp, TestApp } from './support/test-app.js';

describe('README quickstart', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOCAL_AUTO_VERIFY: 'true' });
  });
  afterAll(() => t.close());

  it('runs verbatim against a live server, every request answering 2xx', async () => {
    const blocks = shellBlocks('README.md', /Quickstart/);
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    const stdout = await runDocumentedCommands(t, blocks);
    expect(stdout).toContain('"object":"account"');
    // The walkthrough's money movements happened, not merely answered 2xx.
    expect(stdout).not.toMatch(/"status":"(failed|rejected|conflict)"/);
    expect(stdout).toMatch(/"object":"payment"[^\n]*"status":"succeeded"/);
    expect(stdout).toMatch(/"object":"refund"/);
    expect(stdout.match(/"status":"accepted"/g)?.length).toBe(2);
  });
});
