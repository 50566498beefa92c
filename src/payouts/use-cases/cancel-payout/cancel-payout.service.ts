import { Injectable } from '@nestjs/common';
import { Clock } from '../../../common/clock/clock.js';
import { ApiError } from '../../../common/errors/api-error.js';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import { LedgerService } from '../../../ledger/ledger.service.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import type { PayoutView } from '../../dto/payout.dto.js';
import { presentPayout } from '../../payout.presenter.js';
import { PayoutsRepository } from '../../payouts.repository.js';

/**
 * Cancels a payout that no worker has handed to the provider yet: the hold is voided, so the amount is back in
 * the available balance at once. Once submitted, a payout can only end paid or failed.
 */
@Injectable()
export class CancelPayoutService {
  constructor(
    private readonly payouts: PayoutsRepository,
    private readonly ledger: LedgerService,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
    private readonly clock: Clock,
  ) {}

  async cancel(accountId: string, payoutId: string): Promise<PayoutView> {
    return this.transactions.run(async (manager) => {
      const payout = await this.payouts.lock(manager, payoutId);
      if (!payout || payout.accountId !== accountId) throw ApiError.notFound('payout', payoutId);
      if (payout.status !== 'pending' || payout.submittedAt !== null) {
        throw ApiError.conflict(
          'payout_not_cancelable',
          payout.status === 'pending'
            ? 'This payout was already sent to the bank and can no longer be canceled.'
            : `Only a pending payout can be canceled; this one is ${payout.status}.`,
        );
      }
      await this.ledger.voidPending(payout.holdTransactionId, { reference: `payout_cancel:${payout.id}` }, manager);
      const now = this.clock.now();
      payout.status = 'canceled';
      payout.canceledAt = now;
      payout.updatedAt = now;
      await this.payouts.saveStates(manager, [payout]);
      const view = presentPayout(payout);
      await this.events.record(manager, { accountId, type: 'payout.canceled', object: view });
      return view;
    });
  }
}
