import { randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LaneBatcher, type Settled } from '../../../common/batching/lane-batcher.js';
import { addTo } from '../../../common/collections/group.js';
import { ApiError } from '../../../common/errors/api-error.js';
import { newId } from '../../../common/ids.js';
import { parseMoneyParam } from '../../../common/validation/parse-money-param.js';
import type { AppConfig } from '../../../config/app-config.js';
import { APP_CONFIG } from '../../../config/config.tokens.js';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import { LedgerError } from '../../../ledger/ledger.error.js';
import { MandateSpendService } from '../../../mandates/use-cases/spend-from-mandate/spend-from-mandate.service.js';
import type { SpendResult } from '../../../mandates/use-cases/spend-from-mandate/spend.types.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import type { CreatePaymentRequest, PaymentView } from '../../dto/payment.dto.js';
import { FEE_REBATE_HOOK, FeeCalculator, type FeeRebateHook, type FeeSchedule } from '../../fees/fee-calculator.js';
import { paymentEvents, presentPayment } from '../../payment.presenter.js';
import { Payment, type PaymentStatus } from '../../payment.entity.js';
import { PaymentsRepository } from '../../payments.repository.js';

/** The most payments one database transaction takes. */
const MAX_BATCH = 64;

interface PendingPayment {
  id: string;
  receiverAccountId: string;
  request: CreatePaymentRequest;
  amount: bigint;
}

/**
 * A receiver charges a mandate. The mandates module decides (MandateSpendService) and moves or holds the
 * money; this records the outcome as a payment in the same transaction, declines included.
 *
 * Payments are group-committed: concurrent requests are gathered per lane (by receiver) and decided, moved and
 * recorded together in one database transaction — set-based locks, one round trip for all their ledger
 * transactions, one insert for the payments and one for their events — exactly as if they had run one after
 * another in arrival order. Each payment keeps its own ledger transaction. Wallet balances are not read up front:
 * if the ledger refuses an overdraft, the batch is rolled back and run again with balances read, which declines
 * exactly the payments that do not fit. A batch that fails for any other reason is retried one payment at a
 * time, so a payment that cannot be recorded fails alone.
 */
@Injectable()
export class CreatePaymentService {
  private readonly batcher: LaneBatcher<PendingPayment, Payment>;
  /** Lane i posts platform fees to shard (feeShardBase + i): lanes of one process never share a shard row. */
  private readonly feeShardBase = randomInt(0, 1 << 16);

  constructor(
    private readonly fees: FeeCalculator,
    private readonly spend: MandateSpendService,
    private readonly repository: PaymentsRepository,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
    @Inject(FEE_REBATE_HOOK) private readonly rebates: FeeRebateHook,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.batcher = new LaneBatcher((lane, items) => this.runBatch(lane, items), config.paymentBatchLanes, MAX_BATCH);
  }

  async create(receiverAccountId: string, request: CreatePaymentRequest): Promise<PaymentView> {
    const amount = parseMoneyParam(request.amount, 'amount');
    const payment = await this.batcher.submit(receiverAccountId, {
      id: newId('pay'),
      receiverAccountId,
      request,
      amount,
    });
    return presentPayment(payment, receiverAccountId);
  }

  private async runBatch(lane: number, items: PendingPayment[]): Promise<Array<Settled<Payment>>> {
    try {
      try {
        // Most wallets cover their payments: let the ledger catch an overdraft instead of reading balances.
        return await this.transactions.run((manager) => this.createInTransaction(manager, lane, items, true));
      } catch (error) {
        if (!(error instanceof LedgerError && error.code === 'insufficient_funds')) throw error;
        return await this.transactions.run((manager) => this.createInTransaction(manager, lane, items, false));
      }
    } catch (error) {
      if (items.length === 1) return [{ ok: false, error }];
      const outcomes: Array<Settled<Payment>> = [];
      for (const item of items) outcomes.push(...(await this.runBatch(lane, [item])));
      return outcomes;
    }
  }

  private async createInTransaction(
    manager: EntityManager,
    lane: number,
    items: PendingPayment[],
    optimistic: boolean,
  ): Promise<Array<Settled<Payment>>> {
    const now = new Date();
    const schedules = new Map<string, FeeSchedule>();
    let outcomes: Array<Settled<Payment>> = [];
    let created: Payment[] = [];
    await this.spend.spendEach(manager, {
      items: items.map((item) => ({
        mandateId: item.request.mandate,
        receiverAccountId: item.receiverAccountId,
        currency: item.request.currency,
        charge: {
          amount: item.amount,
          fee: 0n,
          reference: `payment:${item.id}`,
          sourceType: 'payment',
          sourceId: item.id,
        },
      })),
      type: 'payment',
      mode: 'confirm_above_threshold',
      at: now,
      shard: this.feeShardBase + lane,
      optimistic,
      // The payment rows and their events go out with the ledger posting, in the same round trip.
      alongside: (results) => {
        outcomes = this.paymentsFor(items, results, now);
        created = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.value] : []));
        return Promise.all([
          this.repository.insertPayments(manager, created),
          this.events.recordMany(
            manager,
            created.flatMap((payment) => paymentEvents(`payment.${payment.status}`, payment)),
          ),
        ]);
      },
      priceFees: async (receiver, currency) => {
        const schedule = await this.fees.scheduleFor({ receiver, currency, at: now, sourceType: 'payment' }, manager);
        schedules.set(`${receiver.id}/${currency}`, schedule);
        return (charged) => FeeCalculator.feeFor(schedule, charged);
      },
    });

    await this.grantRebates(manager, created, schedules, now);
    return outcomes;
  }

  /** The payment each item becomes, from its spend result (null: its mandate does not exist). */
  private paymentsFor(items: PendingPayment[], results: Array<SpendResult | null>, now: Date): Array<Settled<Payment>> {
    const outcomes: Array<Settled<Payment>> = [];
    items.forEach((item, i) => {
      const result = results[i];
      if (!result) {
        outcomes.push({ ok: false, error: ApiError.notFound('mandate', item.request.mandate, 'mandate') });
        return;
      }
      const outcome = result.outcomes[0];
      const status: PaymentStatus =
        outcome.status === 'declined' ? 'failed' : outcome.held ? 'requires_confirmation' : 'succeeded';
      const accepted = outcome.status === 'accepted' ? outcome : null;
      const payment = Object.assign(new Payment(), {
        id: item.id,
        receiverAccountId: item.receiverAccountId,
        payerAccountId: result.mandate.payerAccountId,
        mandateId: result.mandate.id,
        agentId: result.mandate.agentId,
        currency: item.request.currency,
        amount: item.amount,
        fee: result.fees[0],
        status,
        declineCode: outcome.status === 'declined' ? outcome.declineCode : null,
        declineMessage: outcome.status === 'declined' ? outcome.message : null,
        description: item.request.description ?? null,
        metadata: item.request.metadata ?? {},
        ledgerTransactionId: accepted && !accepted.held ? accepted.ledgerTransactionId : null,
        holdTransactionId: accepted?.held ? accepted.ledgerTransactionId : null,
        countedDay: accepted ? result.countedDay : null,
        amountRefunded: 0n,
        feeRefunded: 0n,
        confirmationExpiresAt: accepted?.held
          ? new Date(now.getTime() + this.config.confirmationTtlSeconds * 1000)
          : null,
        succeededAt: status === 'succeeded' ? now : null,
        canceledAt: null,
        createdAt: now,
        updatedAt: now,
      } satisfies Payment);
      outcomes.push({ ok: true, value: payment });
    });
    return outcomes;
  }

  /** Fee-discount rebates of the succeeded payments, asked once per receiver and currency. */
  private async grantRebates(
    manager: EntityManager,
    payments: Payment[],
    schedules: Map<string, FeeSchedule>,
    at: Date,
  ): Promise<void> {
    const groups = new Map<string, Payment[]>();
    for (const payment of payments) {
      if (payment.status !== 'succeeded') continue;
      const key = `${payment.receiverAccountId}/${payment.currency}`;
      addTo(groups, key, payment);
    }
    for (const [key, group] of groups) {
      await this.rebates.rebate(manager, {
        receiverAccountId: group[0].receiverAccountId,
        currency: group[0].currency,
        schedule: schedules.get(key)!,
        at,
        charges: group.map((payment) => ({
          sourceType: 'payment',
          sourceId: payment.id,
          amount: payment.amount,
          fee: payment.fee,
        })),
      });
    }
  }
}
