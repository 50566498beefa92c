import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ApiError } from '../../../common/errors/api-error.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import { MandatesRepository } from '../../mandates.repository.js';
import { mandateEvents } from '../../mandates.service.js';

export interface GiveBackInput {
  mandateId: string;
  /** Gross amount no longer spent (a refund, or a released hold). */
  amount: bigint;
  /** The UTC day the amount was counted against (SpendResult.countedDay). */
  countedDay: string;
  at?: Date;
}

/**
 * Undoes spending on a mandate's counters (refunds, released holds): the total always goes down; today's
 * figure goes down only when the amount was counted today. An exhausted mandate with budget left again
 * becomes active. Moves no money: the caller does that through the ledger in the same transaction.
 */
@Injectable()
export class MandateGiveBackService {
  constructor(
    private readonly mandates: MandatesRepository,
    private readonly events: EventRecorder,
  ) {}

  async giveBack(manager: EntityManager, input: GiveBackInput): Promise<void> {
    const at = input.at ?? new Date();
    const mandate = await this.mandates.lockMandate(manager, input.mandateId);
    if (!mandate) throw ApiError.notFound('mandate', input.mandateId);
    const giveBack = input.amount > mandate.spentTotal ? mandate.spentTotal : input.amount;
    mandate.spentTotal -= giveBack;
    if (mandate.spentDay === input.countedDay) {
      mandate.spentDayAmount = mandate.spentDayAmount > giveBack ? mandate.spentDayAmount - giveBack : 0n;
    }
    const reactivated =
      mandate.status === 'exhausted' && (mandate.totalBudget === null || mandate.spentTotal < mandate.totalBudget);
    if (reactivated) mandate.status = 'active';
    mandate.updatedAt = at;
    await this.mandates.saveCounters(manager, mandate.id, mandate, at);
    if (reactivated) await this.events.recordMany(manager, mandateEvents('mandate.updated', mandate, at));
  }
}
