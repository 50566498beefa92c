import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock/clock.js';
import { newId } from '../../../common/ids.js';
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

/** Ledger writes a transaction's payouts share, made after every payout of the batch was looked at. */
interface LedgerWork {
  /** Payouts that left `pending`: their holds are posted (available → payout_in_transit becomes final). */
  holdsToPost: Payout[];
  /** Payouts now paid: payout_in_transit → provider_clearing, one ledger transaction for all. */
  paid: Payout[];
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
      const batch: LedgerWork = { holdsToPost: [], paid: [] };
      const events = await this.applyLocked(manager, payout, outcome, batch);
      await this.postHolds(manager, batch.holdsToPost);
      await this.postPaid(manager, batch.paid);
      await this.persist(manager, [{ payout, events }]);
      return payout;
    });
  }

  /**
   * Applies many outcomes in one database transaction (the worker's batches): one lock statement, the ledger
   * movements of each payout, one update of the payout rows and one insert of the events.
   */
  async applyMany(items: Array<{ payoutId: string; outcome: PayoutOutcome }>): Promise<void> {
    if (items.length === 0) return;
    await this.transactions.run(async (manager) => {
      const outcomes = new Map(items.map((item) => [item.payoutId, item.outcome]));
      // Receiver by receiver, so two batches touching the same receiver take its balance rows in the same order.
      const locked = (await this.payouts.lockMany(manager, [...outcomes.keys()])).sort(
        (a, b) => a.accountId.localeCompare(b.accountId) || a.id.localeCompare(b.id),
      );
      const changes: Array<{ payout: Payout; events: string[] | null }> = [];
      const batch: LedgerWork = { holdsToPost: [], paid: [] };
      for (const payout of locked) {
        changes.push({ payout, events: await this.applyLocked(manager, payout, outcomes.get(payout.id)!, batch) });
      }
      await this.postHolds(manager, batch.holdsToPost);
      await this.postPaid(manager, batch.paid);
      await this.persist(manager, changes);
    });
  }

  /**
   * Moves the locked payout forward as far as the outcome allows (money included) and returns the events to
   * record, or null when nothing changed.
   */
  private async applyLocked(
    manager: EntityManager,
    payout: Payout,
    outcome: PayoutOutcome,
    batch: LedgerWork,
  ): Promise<string[] | null> {
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
      return null;
    }
    // A return reported before the payout was seen as paid: it was paid first, then returned.
    if (outcome.status === 'failed' && outcome.returned && canMoveTo(payout.status, 'paid')) {
      this.markPaid(payout, at, batch);
      events.push('payout.paid');
    }
    if (outcome.status === 'in_transit' && canMoveTo(payout.status, 'in_transit')) {
      batch.holdsToPost.push(payout);
      payout.status = 'in_transit';
      events.push('payout.updated');
    } else if (outcome.status === 'paid' && canMoveTo(payout.status, 'paid')) {
      this.markPaid(payout, at, batch);
      events.push('payout.paid');
    } else if (outcome.status === 'failed' && canMoveTo(payout.status, 'failed')) {
      await this.markFailed(manager, payout, outcome, at);
      events.push('payout.failed');
    } else if (outcome.status !== payout.status) {
      this.logger.log({
        msg: `Ignored a ${outcome.status} report for payout ${payout.id}, already ${payout.status}: states only move forward.`,
      });
    }
    if (!changed && events.length === 0) return null;
    payout.updatedAt = now;
    return events;
  }

  private async persist(
    manager: EntityManager,
    changes: Array<{ payout: Payout; events: string[] | null }>,
  ): Promise<void> {
    const changed = changes.filter((change) => change.events !== null);
    await this.payouts.saveStates(
      manager,
      changed.map((change) => change.payout),
    );
    await this.events.recordMany(
      manager,
      changed.flatMap(({ payout, events }) =>
        events!.map((type) => ({ accountId: payout.accountId, type, object: presentPayout(payout) })),
      ),
    );
  }

  /** Posts the holds of every payout that left `pending` in this transaction, in one round trip. */
  private async postHolds(manager: EntityManager, payouts: Payout[]): Promise<void> {
    await this.ledger.postPendingMany(
      payouts.map((payout) => ({ transactionId: payout.holdTransactionId, reference: `payout_sent:${payout.id}` })),
      manager,
    );
  }

  /** The hold's posting and the move to provider clearing join the batch's ledger writes. */
  private markPaid(payout: Payout, now: Date, batch: LedgerWork): void {
    if (payout.status === 'pending') batch.holdsToPost.push(payout);
    payout.status = 'paid';
    payout.paidAt = now;
    batch.paid.push(payout);
  }

  /**
   * payout_in_transit → provider_clearing for every payout paid in this transaction, as one ledger transaction:
   * one write for the batch, and one shard of the (sharded) clearing account, so concurrent batches never lock
   * clearing shards in opposite orders.
   */
  private async postPaid(manager: EntityManager, paid: Payout[]): Promise<void> {
    if (paid.length === 0) return;
    const single = paid.length === 1 ? paid[0] : null;
    const transaction = await this.ledger.post(
      {
        reference: single ? `payout_paid:${single.id}` : `payouts_paid:${newId('pbat')}`,
        type: 'payout_paid',
        sourceType: single ? 'payout' : 'payout_batch',
        sourceId: single?.id,
        description: single ? undefined : `${paid.length} payouts paid`,
        legs: paid.map((payout) => ({
          debit: receiverAccount(payout.accountId, 'payout_in_transit', payout.currency),
          credit: providerClearing(payout.currency),
          amount: payout.amount,
        })),
      },
      manager,
    );
    for (const payout of paid) payout.paidTransactionId = transaction.id;
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
