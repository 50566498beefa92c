import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import { AuthorizationsRepository } from '../../authorizations.repository.js';
import { AuthorizationSettlementService } from './authorization-settlement.service.js';

const BATCH = 100;

/** Releases what active authorizations past their expiry still hold; safe to run on several replicas at once. */
@Injectable()
export class ExpireAuthorizationsService {
  constructor(
    private readonly repository: AuthorizationsRepository,
    private readonly settlement: AuthorizationSettlementService,
    private readonly transactions: TransactionRunner,
  ) {}

  async expireDue(now = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await this.transactions.run(async (manager) => {
        const due = await this.repository.lockExpired(manager, now, BATCH);
        for (const authorization of due) await this.settlement.release(manager, authorization, 'expired', now);
        return due.length;
      });
      total += count;
      if (count < BATCH) return total;
    }
  }
}
