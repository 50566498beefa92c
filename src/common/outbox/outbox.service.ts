import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxRepository } from './outbox.repository.js';

export interface OutboxJob {
  /** A BullMQ queue registered by some module (see common/queues.ts). */
  queue: string;
  /** The job name its processor dispatches on. */
  name: string;
  /** Deterministic, so a message relayed twice (after a crash) is still one job. No colons (BullMQ). */
  jobId: string;
  payload: object;
  /** Milliseconds after commit before the job is enqueued; Postgres holds it until then. */
  delay?: number;
}

/**
 * The transactional outbox: a job written here commits or rolls back with the caller's state change, and the
 * relay (OutboxRelay) moves it to its BullMQ queue after commit. Use it for every side effect of a write.
 */
@Injectable()
export class OutboxService {
  constructor(private readonly repository: OutboxRepository) {}

  enqueue(manager: EntityManager, job: OutboxJob): Promise<void> {
    return this.enqueueMany(manager, [job]);
  }

  enqueueMany(manager: EntityManager, jobs: OutboxJob[]): Promise<void> {
    for (const job of jobs) {
      if (job.jobId.includes(':') || /^\d+$/.test(job.jobId)) {
        throw new Error(`Outbox job id "${job.jobId}" must not contain ':' nor be a plain integer.`);
      }
      if (job.delay !== undefined && (!Number.isInteger(job.delay) || job.delay < 0)) {
        throw new Error(`Outbox job delay must be a whole number of milliseconds; got ${job.delay}.`);
      }
    }
    return this.repository.insert(
      manager,
      jobs.map((job) => ({
        queue: job.queue,
        name: job.name,
        jobId: job.jobId,
        payload: job.payload,
        delayMs: job.delay ?? 0,
      })),
    );
  }
}
