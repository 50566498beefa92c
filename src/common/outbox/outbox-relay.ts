import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.tokens.js';
import { TransactionRunner } from '../../database/transaction-runner.js';
import { addTo } from '../collections/group.js';
import { OutboxRepository, type DueOutboxMessage } from './outbox.repository.js';

const BATCH_SIZE = 200;
/**
 * Polling rather than LISTEN/NOTIFY: NOTIFY takes a database-wide lock at commit, which would serialise every
 * writing transaction of the platform behind the event table. An idle poll is one index-only query.
 */
const POLL_INTERVAL_MS = 200;
const CLEANUP_INTERVAL_MS = 10 * 60_000;
/** The relay holds row locks while it enqueues; an unreachable Redis must not hold them for long. */
const ENQUEUE_TIMEOUT_MS = 10_000;
const KEEP_DISPATCHED_MS = 7 * 86_400_000;

/** A step run on every pass before messages are relayed; returns true when it left work for another pass. */
export type OutboxStage = () => Promise<boolean>;

/**
 * Moves committed outbox messages to their BullMQ queues. Runs in every process that runs workers; replicas
 * cooperate through `FOR UPDATE SKIP LOCKED`. Jobs are added before the rows are marked dispatched, in the
 * same transaction: a crash in between re-adds them under the same job id, which BullMQ ignores.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly stages = new Map<string, OutboxStage>();
  private readonly queues = new Map<string, Queue>();
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wakeUp: (() => void) | null = null;
  private lastCleanup = Date.now();

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly repository: OutboxRepository,
    private readonly moduleRef: ModuleRef,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Registers a stage (for example the fan-out of events to webhook deliveries). */
  addStage(name: string, stage: OutboxStage): void {
    if (this.stages.has(name)) throw new Error(`Outbox stage "${name}" is registered twice.`);
    this.stages.set(name, stage);
  }

  onApplicationBootstrap(): void {
    if (this.config.appRole === 'api') return;
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await this.loop;
  }

  /** One pass of every stage and one batch of due messages; true when more work is waiting. */
  async runOnce(): Promise<boolean> {
    let more = false;
    for (const [name, stage] of this.stages) {
      try {
        if (await stage()) more = true;
      } catch (error) {
        this.logger.error({
          msg: `Outbox stage ${name} failed; it runs again on the next pass.`,
          error: String(error),
        });
      }
    }
    if (await this.relayDueMessages()) more = true;
    return more;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let more = false;
      try {
        more = await this.runOnce();
        await this.cleanUpWhenDue();
      } catch (error) {
        this.logger.error({ msg: 'The outbox relay pass failed; retrying shortly.', error: String(error) });
      }
      if (!more) await this.sleep(POLL_INTERVAL_MS);
    }
  }

  private async relayDueMessages(): Promise<boolean> {
    return this.transactions.run(async (manager) => {
      const messages = await this.repository.claimDue(manager, BATCH_SIZE);
      const byQueue = new Map<string, DueOutboxMessage[]>();
      for (const message of messages) addTo(byQueue, message.queue, message);
      for (const [queueName, batch] of byQueue) {
        const ids = batch.map((message) => message.id);
        try {
          await withTimeout(
            this.queue(queueName).addBulk(
              batch.map((message) => ({ name: message.name, data: message.payload, opts: { jobId: message.jobId } })),
            ),
            ENQUEUE_TIMEOUT_MS,
            `Redis did not accept the jobs within ${ENQUEUE_TIMEOUT_MS} ms.`,
          );
          await this.repository.markDispatched(manager, ids);
        } catch (error) {
          this.logger.error({ msg: `Could not enqueue outbox messages to ${queueName}.`, error: String(error) });
          await this.repository.postpone(manager, ids, String(error));
        }
      }
      return messages.length === BATCH_SIZE;
    });
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      try {
        queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      } catch {
        throw new Error(`No module registers the queue "${name}" (BullModule.registerQueue).`);
      }
      this.queues.set(name, queue);
    }
    return queue;
  }

  private async cleanUpWhenDue(): Promise<void> {
    if (Date.now() - this.lastCleanup < CLEANUP_INTERVAL_MS) return;
    this.lastCleanup = Date.now();
    await this.repository.deleteDispatchedBefore(new Date(Date.now() - KEEP_DISPATCHED_MS), 10_000);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}

/** Rejects when `work` takes longer than `ms`; a late success is harmless since job ids are deterministic. */
function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
