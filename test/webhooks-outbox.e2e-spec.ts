import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { OutboxRelay } from '../src/common/outbox/outbox-relay.js';
import { OutboxService } from '../src/common/outbox/outbox.service.js';
import { WEBHOOK_DELIVERIES_QUEUE } from '../src/common/queues.js';
import { TransactionRunner } from '../src/database/transaction-runner.js';
import { startTestApp, TestApp } from './support/test-app.js';

interface OutboxRow {
  dispatched_at: Date | null;
  relay_failures: number;
  last_error: string | null;
}

describe('the transactional outbox', () => {
  let t: TestApp;
  let outbox: OutboxService;
  let relay: OutboxRelay;
  let transactions: TransactionRunner;
  let db: DataSource;
  let queue: Queue;

  beforeAll(async () => {
    t = await startTestApp();
    outbox = t.app.get(OutboxService);
    relay = t.app.get(OutboxRelay);
    transactions = t.app.get(TransactionRunner);
    db = t.app.get(DataSource);
    queue = t.app.get<Queue>(getQueueToken(WEBHOOK_DELIVERIES_QUEUE));
  });
  afterAll(() => t.close());

  /** A job the delivery worker ignores: it names no delivery. */
  const harmlessJob = (jobId: string, delay?: number) => ({
    queue: WEBHOOK_DELIVERIES_QUEUE,
    name: 'deliver',
    jobId,
    payload: { deliveryId: 'whdel_none', attempt: 1 },
    delay,
  });

  /** Polls until `probe` returns a value: the relay of this process runs in the background too. */
  async function eventually<T>(probe: () => Promise<T | undefined | null | false>, what: string): Promise<T> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
      await relay.runOnce();
    }
  }

  const rows = (jobId: string): Promise<OutboxRow[]> =>
    db.query(`SELECT dispatched_at, relay_failures, last_error FROM outbox_messages WHERE job_id = $1`, [jobId]);

  it('moves a committed message to its queue under its job id', async () => {
    const jobId = `outbox-test-${randomUUID()}`;
    await transactions.run((manager) => outbox.enqueue(manager, harmlessJob(jobId)));
    await eventually(async () => (await rows(jobId))[0]?.dispatched_at, 'the message to be relayed');
    const job = await queue.getJob(jobId);
    expect(job).toMatchObject({ name: 'deliver', data: { deliveryId: 'whdel_none', attempt: 1 } });
  });

  it('relays nothing for a transaction that rolled back', async () => {
    const jobId = `outbox-test-${randomUUID()}`;
    await expect(
      transactions.run(async (manager) => {
        await outbox.enqueue(manager, harmlessJob(jobId));
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    await relay.runOnce();
    expect(await rows(jobId)).toHaveLength(0);
    expect(await queue.getJob(jobId)).toBeUndefined();
  });

  it('keeps a delayed message in the database until it is due', async () => {
    const jobId = `outbox-test-${randomUUID()}`;
    await transactions.run((manager) => outbox.enqueue(manager, harmlessJob(jobId, 3_600_000)));
    await relay.runOnce();
    const [row] = await rows(jobId);
    expect(row.dispatched_at).toBeNull();
    expect(await queue.getJob(jobId)).toBeUndefined();
    await db.query(`DELETE FROM outbox_messages WHERE job_id = $1`, [jobId]);
  });

  it('postpones messages for a queue that no module registers, recording why', async () => {
    const jobId = `outbox-test-${randomUUID()}`;
    await transactions.run((manager) => outbox.enqueue(manager, { ...harmlessJob(jobId), queue: 'no-such-queue' }));
    const row = await eventually(async () => {
      const [found] = await rows(jobId);
      return found.relay_failures > 0 && found;
    }, 'a relay attempt');
    expect(row).toMatchObject({ dispatched_at: null, relay_failures: 1 });
    expect(row.last_error).toContain('no-such-queue');
    await db.query(`DELETE FROM outbox_messages WHERE job_id = $1`, [jobId]);
  });

  it('refuses job ids that BullMQ cannot take, failing the transaction', async () => {
    await expect(transactions.run((manager) => outbox.enqueue(manager, harmlessJob('payout:1')))).rejects.toThrow(
      'must not contain',
    );
  });
});
