import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import { LedgerService } from '../../../ledger/ledger.service.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import { presentTopUp } from '../../top-up.presenter.js';
import type { TopUp } from '../../top-up.entity.js';
import { WalletsRepository } from '../../wallets.repository.js';

export type TopUpLocator = { topUpId: string } | { provider: string; providerPaymentId: string };

export type TopUpOutcome = { status: 'succeeded' } | { status: 'failed'; code: string; message: string };

/**
 * Applies the provider's verdict on a top-up, exactly once however often it is reported: the row lock makes
 * concurrent deliveries queue up, a succeeded top-up never moves again, and the ledger reference `top_up:<id>`
 * could not credit twice even if it did. Success moves provider_clearing → wallet; failure moves nothing.
 */
@Injectable()
export class CompleteTopUpService {
  constructor(
    private readonly repository: WalletsRepository,
    private readonly ledger: LedgerService,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
  ) {}

  /** Returns the top-up as it stands after the call, or null when no top-up matches. */
  async complete(
    locator: TopUpLocator,
    outcome: TopUpOutcome,
    manager?: EntityManager,
    providerPaymentId?: string,
  ): Promise<TopUp | null> {
    return this.transactions.within(manager, async (tx) => {
      const topUp =
        'topUpId' in locator
          ? await this.repository.lockTopUp(tx, locator.topUpId)
          : await this.repository.lockTopUpByProviderPayment(tx, locator.provider, locator.providerPaymentId);
      if (!topUp) return null;
      // A failed attempt is not final at Stripe (the payer may retry the same PaymentIntent), so a later
      // success still credits a failed top-up; nothing ever moves a succeeded one.
      const applies = topUp.status === 'pending' || (topUp.status === 'failed' && outcome.status === 'succeeded');
      if (!applies) return topUp;
      if (providerPaymentId && !topUp.providerPaymentId) topUp.providerPaymentId = providerPaymentId;
      await this.applyInTransaction(tx, topUp, outcome);
      return topUp;
    });
  }

  /** Stores the provider's payment reference and client secret of a top-up it will confirm later. */
  async attachProviderPayment(topUpId: string, providerPaymentId: string, clientSecret: string | null) {
    return this.transactions.run(async (tx) => {
      const topUp = await this.repository.lockTopUp(tx, topUpId);
      if (!topUp) return null;
      // The provider's verdict may already have arrived (and set the reference); keep what is there.
      topUp.providerPaymentId ??= providerPaymentId;
      topUp.clientSecret ??= clientSecret;
      await this.repository.saveTopUp(tx, topUp);
      return topUp;
    });
  }

  /** For a top-up row already locked (or just inserted) in `manager`'s transaction. */
  async applyInTransaction(manager: EntityManager, topUp: TopUp, outcome: TopUpOutcome): Promise<void> {
    const now = new Date();
    if (outcome.status === 'succeeded') {
      const tx = await this.ledger.post(
        {
          reference: `top_up:${topUp.id}`,
          type: 'top_up',
          sourceType: 'top_up',
          sourceId: topUp.id,
          legs: [
            {
              debit: { owner: 'platform', purpose: 'provider_clearing', currency: topUp.currency },
              credit: { owner: topUp.accountId, purpose: 'wallet', currency: topUp.currency },
              amount: topUp.amount,
            },
          ],
        },
        manager,
      );
      topUp.status = 'succeeded';
      topUp.ledgerTransactionId = tx.id;
      topUp.failureCode = null;
      topUp.failureMessage = null;
    } else {
      topUp.status = 'failed';
      topUp.failureCode = outcome.code;
      topUp.failureMessage = outcome.message;
    }
    topUp.completedAt = now;
    await this.repository.saveTopUp(manager, topUp);
    await this.events.record(manager, {
      accountId: topUp.accountId,
      type: topUp.status === 'succeeded' ? 'wallet.top_up.succeeded' : 'wallet.top_up.failed',
      object: presentTopUp(topUp),
    });
  }
}
