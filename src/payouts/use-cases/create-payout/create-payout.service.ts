import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { formatAmount } from '../../../../libs/money/src/index.js';
import type { Account } from '../../../accounts/account.entity.js';
import { AccountsService } from '../../../accounts/accounts.service.js';
import { Clock } from '../../../common/clock/clock.js';
import { ApiError } from '../../../common/errors/api-error.js';
import { newId } from '../../../common/ids.js';
import { OutboxService } from '../../../common/outbox/outbox.service.js';
import { parseMoneyParam } from '../../../common/validation/parse-money-param.js';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import { LedgerError } from '../../../ledger/ledger.error.js';
import { LedgerService } from '../../../ledger/ledger.service.js';
import { PAYMENT_PROVIDER } from '../../../providers/payment-provider.js';
import type { PaymentProvider } from '../../../providers/payment-provider.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import type { CreatePayoutRequest, PayoutView } from '../../dto/payout.dto.js';
import { receiverAccount } from '../../ledger-keys.js';
import type { PayoutDestination, PayoutSettings } from '../../payout-settings.entity.js';
import { PayoutSettingsService } from '../../payout-settings.service.js';
import { Payout } from '../../payout.entity.js';
import { presentPayout } from '../../payout.presenter.js';
import { PayoutsRepository } from '../../payouts.repository.js';
import { PAYOUTS_QUEUE, payoutIdempotencyKey, SUBMIT_PAYOUT_JOB, submitPayoutJobId } from '../../payouts.queues.js';

export interface NewPayout {
  accountId: string;
  destination: PayoutDestination | null;
  amount: bigint;
  currency: string;
  /** The run day (YYYY-MM-DD) of a scheduled payout; absent for a manual one. */
  scheduledFor?: string;
  description?: string;
  metadata?: Record<string, string>;
}

/**
 * Creates a payout. In one database transaction: the payout row, a ledger hold available → payout_in_transit
 * (the ledger refuses it atomically when it exceeds the available balance, which is what makes concurrent
 * payouts safe), the submission job in the outbox and the `payout.created` event. The provider is called later,
 * by the worker, after commit.
 */
@Injectable()
export class CreatePayoutService {
  constructor(
    private readonly payouts: PayoutsRepository,
    private readonly settings: PayoutSettingsService,
    private readonly accounts: AccountsService,
    private readonly ledger: LedgerService,
    private readonly outbox: OutboxService,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
    private readonly clock: Clock,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
  ) {}

  async createManual(accountId: string, request: CreatePayoutRequest): Promise<PayoutView> {
    const amount = parseMoneyParam(request.amount, 'amount', { minorUnitsOf: request.currency });
    const account = await this.accounts.requireAccount(accountId);
    const settings = await this.settings.settingsOf(accountId);
    this.assertPayable(account, settings);
    const payout = await this.transactions.run(async (manager) => {
      const pending = await this.ledger.balance(receiverAccount(accountId, 'pending', request.currency), manager);
      if (pending.posted < 0n) {
        throw ApiError.badRequest(
          'balance_negative',
          `Refunds left the pending balance at ${formatAmount(pending.posted, request.currency)}; payouts resume once it is covered.`,
          'amount',
        );
      }
      const [created] = await this.createInTransaction(manager, [
        {
          accountId,
          destination: settings.destination,
          amount,
          currency: request.currency,
          description: request.description,
          metadata: request.metadata,
        },
      ]).catch((error: unknown) => {
        // The ledger's refusal names internal accounts; the caller needs to hear about its available balance.
        if (error instanceof LedgerError && error.code === 'insufficient_funds') {
          throw ApiError.paymentRequired(
            'insufficient_funds',
            `A payout of ${formatAmount(amount, request.currency)} ${request.currency} exceeds the available balance.`,
            'amount',
          );
        }
        throw error;
      });
      return created;
    });
    return presentPayout(payout);
  }

  /**
   * Creates payouts inside the caller's transaction (a scheduled run creates a batch per transaction). Throws the
   * ledger's insufficient_funds when one exceeds its available balance, like a manual payout.
   */
  async createInTransaction(manager: EntityManager, inputs: NewPayout[]): Promise<Payout[]> {
    const now = this.clock.now();
    const ids = inputs.map(() => newId('po', now.getTime()));
    // Every payout has its own hold (each is voided or posted on its own), all written in one round trip.
    const holds = await this.ledger.transferMany(
      inputs.map((input, i) => ({
        kind: 'hold' as const,
        input: {
          reference: `payout:${ids[i]}`,
          type: 'payout',
          sourceType: 'payout',
          sourceId: ids[i],
          description: input.scheduledFor ? `Scheduled payout for ${input.scheduledFor}` : 'Manual payout',
          legs: [
            {
              debit: receiverAccount(input.accountId, 'available', input.currency),
              credit: receiverAccount(input.accountId, 'payout_in_transit', input.currency),
              amount: input.amount,
            },
          ],
        },
      })),
      manager,
    );
    const payouts = inputs.map((input, i) =>
      Object.assign(new Payout(), {
        id: ids[i],
        accountId: input.accountId,
        amount: input.amount,
        currency: input.currency,
        status: 'pending',
        automatic: input.scheduledFor !== undefined,
        scheduledFor: input.scheduledFor ?? null,
        description: input.description ?? null,
        destination: input.destination,
        provider: this.provider.name,
        idempotencyKey: payoutIdempotencyKey(ids[i]),
        providerTransferId: null,
        providerPayoutId: null,
        holdTransactionId: holds[i].id,
        paidTransactionId: null,
        returned: false,
        failureCode: null,
        failureMessage: null,
        submittedAt: null,
        arrivalDate: null,
        paidAt: null,
        failedAt: null,
        canceledAt: null,
        metadata: input.metadata ?? {},
        createdAt: now,
        updatedAt: now,
      } satisfies Payout),
    );
    await this.payouts.insertMany(manager, payouts);
    await this.outbox.enqueueMany(
      manager,
      payouts.map((payout) => ({
        queue: PAYOUTS_QUEUE,
        name: SUBMIT_PAYOUT_JOB,
        jobId: submitPayoutJobId(payout.id),
        payload: { payoutId: payout.id },
      })),
    );
    await this.events.recordMany(
      manager,
      payouts.map((payout) => ({ accountId: payout.accountId, type: 'payout.created', object: presentPayout(payout) })),
    );
    return payouts;
  }

  private assertPayable(account: Account, settings: PayoutSettings): void {
    if (account.status !== 'active' || !account.payoutsEnabled || account.provider !== this.provider.name) {
      throw ApiError.forbidden(
        'payouts_not_enabled',
        'This account cannot receive payouts yet: complete onboarding first.',
      );
    }
    if (this.provider.name === 'local' && settings.destination?.type !== 'bank_account') {
      throw ApiError.badRequest(
        'no_payout_destination',
        'Set a bank account with PUT /v1/payout_settings before requesting a payout.',
        'destination',
      );
    }
  }
}
