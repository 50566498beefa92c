import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import { MandatesRepository } from '../../mandates.repository.js';
import { mandateEvents } from '../../mandates.service.js';

const BATCH = 200;

/**
 * Marks mandates past their expiry as expired and emits `mandate.expired`. Spending never depends on it:
 * a spend checks the expiry itself; this only makes the status and the event arrive without a spend.
 */
@Injectable()
export class ExpireMandatesService {
  constructor(
    private readonly mandates: MandatesRepository,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
  ) {}

  async expireDue(now = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await this.transactions.run(async (manager) => {
        const due = await this.mandates.lockExpired(manager, now, BATCH);
        for (const mandate of due) {
          await this.mandates.markExpired(manager, mandate, now);
          await this.events.recordMany(manager, mandateEvents('mandate.expired', mandate, now));
        }
        return due.length;
      });
      total += count;
      if (count < BATCH) return total;
    }
  }
}
