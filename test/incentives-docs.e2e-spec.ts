import { runDocumentedCommands, shellBlocks } from './support/doc-commands.js';
import { startTestApp, TestApp } from './support/test-app.js';

describe('docs/incentives.md', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOCAL_AUTO_VERIFY: 'true' });
  });
  afterAll(() => t.close());

  it('runs the operator walkthrough verbatim against a live server, every request answering 2xx', async () => {
    const blocks = shellBlocks('docs/incentives.md', /^## Run a program end to end/);
    expect(blocks.length).toBeGreaterThanOrEqual(7);
    const stdout = await runDocumentedCommands(t, blocks);
    // The budget paid half of the first call (the wallet kept 47.00 of 50.00), the report saw it, the vendor's
    // fee was rebated, the sign-up credit landed (50.00 − 6.00 + 3.00 − 3.00 + 1.50 + 5.00) and the program ended.
    expect(stdout).toContain('"available":"47.00"');
    expect(stdout).toContain('"object":"incentive_program_report"');
    expect(stdout).toContain('"type":"fee_rebate"');
    expect(stdout).toContain('"available":"50.50"');
    expect(stdout).toContain('"status":"ended"');
  });
});
