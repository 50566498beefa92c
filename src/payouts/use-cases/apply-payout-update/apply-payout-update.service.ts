import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock/clock.js';
import { OutboxService } from '../../../common/outbox/outbox.service.js';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import { LedgerService } from '../../../ledger/ledger.service.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import { providerClearing, receiverAccount } from '../../ledger-keys.js';
import { canMoveTo, Payout } from '../../payout.entity.js';
import { presentPayout } from '../../payout.presenter.js';
import { PayoutSettingsRepository } from '../../payout-settings.repository.js';
import { PayoutsRepository } from '../../payouts.repository.js';
import { PAYOUTS_QUEUE, REVERSE_PAYOUT_TRANSFER_JOB, reverseTransferJobId } from '../../payouts.queues.js';

/** What the provider says about a payout, from the submission answer, a webhook or the local bank. */
export interface PayoutOutcome {
  status: 'in_transit' | 'paid' | 'failed';
  /** The money came back after the payout was paid. */
  returned?: boolean;
  /** The funding transfer was reversed at the provider (Stripe `transfer.reversed`). */
  transferReversed?: boolean;
  providerPayoutId?: string | null;
  providerTransferId?: string | null;
  failureCode?: string | null;
  failureMessage?: string | null;
  arrivalDate?: Date | null;
  /** When the rail says the change happened (the bank's settlement or return time); defaults to now. */
  occurredAt?: Date | null;
}

export type PayoutLocator =
  { payoutId: string } | { providerPayoutId?: string | null; providerTransferId?: string | null };

/**
 * The one place a payout changes state after creation. Transitions only move forward (pending → in_transit →
 * paid, and failed from any of them), so a duplicated, late or out-of-order report is a no-op; each transition
 * moves the money in the same transaction:
 *   in_transit  post the hold (available → payout_in_transit becomes final)
 *   paid        payout_in_transit → provider_clearing (the money left the provider)
 *   failed      back to available: void the hold, or payout_in_transit → available, or, for a return after
 *               paid, provider_clearing → available; scheduled payouts then pause until the destination changes.
 */
@Injectable()
export class ApplyPayoutUpdateService {
  private readonly logger = new Logger(ApplyPayoutUpdateService.name);

  constructor(
    private readonly payouts: PayoutsRepository,
    private readonly settings: PayoutSettingsRepository,
    private readonly ledger: LedgerService,
    private readonly outbox: OutboxService,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
    private readonly clock: Clock,
  ) {}

  /** Applies the outcome; returns the payout as it stands afterwards, or null when no payout matches. */
  async apply(provider: string, locator: PayoutLocator, outcome: PayoutOutcome): Promise<Payout | null> {
    return this.transactions.run(async (manager) => {
      const payout =
        'payoutId' in locator
          ? await this.payouts.lock(manager, locator.payoutId)
          : await this.payouts.lockByProviderReference(manager, provider, locator);
      if (!payout) return null;
      await this.applyLocked(manager, payout, outcome);
      return payout;
    });
  }

  async applyLocked(manager: EntityManager, payout: Payout, outcome: PayoutOutcome): Promise<void> {
    const now = this.clock.now();
    const at = outcome.occurredAt ?? now;
    let changed = false;
    if (outcome.providerPayoutId && !payout.providerPayoutId) {
      payout.providerPayoutId = outcome.providerPayoutId;
      changed = true;
    }
    if (outcome.providerTransferId && !payout.providerTransferId) {
      payout.providerTransferId = outcome.providerTransferId;
      changed = true;
    }
    if (outcome.arrivalDate && !payout.arrivalDate) {
      payout.arrivalDate = outcome.arrivalDate;
      changed = true;
    }
    const events: string[] = [];
    if (outcome.transferReversed && payout.status === 'paid') {
      // The money reached the bank; a reversal now is an operator action to explain, not a failed payout.
      // Provider reconciliation reports the reversal line as an exception.
      this.logger.warn({ msg: `The transfer of paid payout ${payout.id} was reversed at the provider.` });
      return;
    }
    // A return reported before the payout was seen as paid: it was paid first, then returned.
    if (outcome.status === 'failed' && outcome.returned && canMoveTo(payout.status, 'paid')) {
      await this.markPaid(manager, payout, at);
      events.push('payout.paid');
    }
    if (outcome.status === 'in_transit' && canMoveTo(payout.status, 'in_transit')) {
      await this.postHold(manager, payout);
      payout.status = 'in_transit';
      events.push('payout.updated');
    } else if (outcome.status === 'paid' && canMoveTo(payout.status, 'paid')) {
      await this.markPaid(manager, payout, at);
      events.push('payout.paid');
    } else if (outcome.status === 'failed' && canMoveTo(payout.status, 'failed')) {
      await this.markFailed(manager, payout, outcome, at);
      events.push('payout.failed');
    } else if (outcome.status !== payout.status) {
      this.logger.log({
        msg: `Ignored a ${outcome.status} report for payout ${payout.id}, already ${payout.status}: states only move forward.`,
      });
    }
    if (!changed && events.length === 0) return;
    payout.updatedAt = now;
    await this.payouts.save(manager, payout);
    for (const type of events) {
      await this.events.record(manager, { accountId: payout.accountId, type, object: presentPayout(payout) });
    }
  }

  private async postHold(manager: EntityManager, payout: Payout): Promise<void> {
    await this.ledger.postPending(payout.holdTransactionId, { reference: `payout_sent:${payout.id}` }, manager);
  }

  private async markPaid(manager: EntityManager, payout: Payout, now: Date): Promise<void> {
    if (payout.status === 'pending') await this.postHold(manager, payout);
    await this.ledger.post(
      {
        reference: `payout_paid:${payout.id}`,
        type: 'payout_paid',
        sourceType: 'payout',
        sourceId: payout.id,
        legs: [
          {
            debit: receiverAccount(payout.accountId, 'payout_in_transit', payout.currency),
            credit: providerClearing(payout.currency),
            amount: payout.amount,
          },
        ],
      },
      manager,
    );
    payout.status = 'paid';
    payout.paidAt = now;
  }

  private async markFailed(manager: EntityManager, payout: Payout, outcome: PayoutOutcome, now: Date): Promise<void> {
    const available = receiverAccount(payout.accountId, 'available', payout.currency);
    if (payout.status === 'pending') {
      await this.ledger.voidPending(payout.holdTransactionId, { reference: `payout_failed:${payout.id}` }, manager);
    } else {
      const returned = payout.status === 'paid';
      await this.ledger.post(
        {
          reference: `${returned ? 'payout_return' : 'payout_failed'}:${payout.id}`,
          type: returned ? 'payout_return' : 'payout_failure',
          sourceType: 'payout',
          sourceId: payout.id,
          legs: [
            {
              debit: returned
                ? providerClearing(payout.currency)
                : receiverAccount(payout.accountId, 'payout_in_transit', payout.currency),
              credit: available,
              amount: payout.amount,
            },
          ],
        },
        manager,
      );
      payout.returned = returned;
    }
    // On Stripe the money sits in the connected account once transferred: pull it back to the platform.
    if (payout.providerTransferId && !outcome.transferReversed) {
      await this.outbox.enqueue(manager, {
        queue: PAYOUTS_QUEUE,
        name: REVERSE_PAYOUT_TRANSFER_JOB,
        jobId: reverseTransferJobId(payout.id),
        payload: { payoutId: payout.id },
      });
    }
    payout.status = 'failed';
    payout.failedAt = now;
    payout.failureCode = outcome.failureCode ?? 'could_not_process';
    payout.failureMessage = outcome.failureMessage ?? 'The provider could not complete this payout.';
    const settings = await this.settings.lockOrCreate(manager, payout.accountId, now);
    settings.pausedReason = 'payout_failed';
    settings.pausedByPayoutId = payout.id;
    settings.updatedAt = now;
    await this.settings.save(manager, settings);
  }
}
