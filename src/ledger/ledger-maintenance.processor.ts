import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { LEDGER_MAINTENANCE_QUEUE } from '../common/queues.js';
import { LedgerService } from './ledger.service.js';

const EXPIRE_HOLDS_JOB = 'expire-holds';
const BATCH = 500;

/** Expires holds past their expiresAt, every 10 seconds (one scheduler for all replicas). */
@Processor(LEDGER_MAINTENANCE_QUEUE)
export class LedgerMaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(LedgerMaintenanceProcessor.name);

  constructor(
    private readonly ledger: LedgerService,
    @InjectQueue(LEDGER_MAINTENANCE_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(EXPIRE_HOLDS_JOB, { every: 10_000 }, { name: EXPIRE_HOLDS_JOB });
  }

  async process(): Promise<void> {
    let total = 0;
    for (;;) {
      const expired = await this.ledger.expirePending(new Date(), BATCH);
      total += expired;
      if (expired < BATCH) break;
    }
    if (total > 0) this.logger.log(`Expired ${total} ledger holds past their expiry.`);
  }
}
