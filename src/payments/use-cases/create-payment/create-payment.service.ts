import { Inject, Injectable } from '@nestjs/common';
import { newId } from '../../../common/ids.js';
import { parseMoneyParam } from '../../../common/validation/parse-money-param.js';
import type { AppConfig } from '../../../config/app-config.js';
import { APP_CONFIG } from '../../../config/config.tokens.js';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import { MandateSpendService } from '../../../mandates/use-cases/spend-from-mandate/spend-from-mandate.service.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import type { CreatePaymentRequest, PaymentView } from '../../dto/payment.dto.js';
import { FEE_REBATE_HOOK, FeeCalculator, type FeeRebateHook, type FeeSchedule } from '../../fees/fee-calculator.js';
import { paymentEvents, presentPayment } from '../../payment.presenter.js';
import { Payment, type PaymentStatus } from '../../payment.entity.js';
import { PaymentsRepository } from '../../payments.repository.js';

/**
 * A receiver charges a mandate. The mandates module decides (MandateSpendService) and moves or holds the
 * money; this records the outcome as a payment in the same transaction, declines included.
 */
@Injectable()
export class CreatePaymentService {
  constructor(
    private readonly fees: FeeCalculator,
    private readonly spend: MandateSpendService,
    private readonly repository: PaymentsRepository,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
    @Inject(FEE_REBATE_HOOK) private readonly rebates: FeeRebateHook,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(receiverAccountId: string, request: CreatePaymentRequest): Promise<PaymentView> {
    const amount = parseMoneyParam(request.amount, 'amount');
    const now = new Date();
    const id = newId('pay');
    const payment = await this.transactions.run(async (manager) => {
      let schedule: FeeSchedule | null = null;
      const result = await this.spend.spend(manager, {
        mandateId: request.mandate,
        receiverAccountId,
        currency: request.currency,
        type: 'payment',
        mode: 'confirm_above_threshold',
        at: now,
        charges: [{ amount, fee: 0n, reference: `payment:${id}`, sourceType: 'payment', sourceId: id }],
        priceFees: async (receiver) => {
          const priced = await this.fees.scheduleFor(
            { receiver, currency: request.currency, at: now, sourceType: 'payment' },
            manager,
          );
          schedule = priced;
          return (charged) => FeeCalculator.feeFor(priced, charged);
        },
      });
      const outcome = result.outcomes[0];
      const status: PaymentStatus =
        outcome.status === 'declined' ? 'failed' : outcome.held ? 'requires_confirmation' : 'succeeded';
      const accepted = outcome.status === 'accepted' ? outcome : null;
      const created = Object.assign(new Payment(), {
        id,
        receiverAccountId,
        payerAccountId: result.mandate.payerAccountId,
        mandateId: result.mandate.id,
        agentId: result.mandate.agentId,
        currency: request.currency,
        amount,
        fee: result.fees[0],
        status,
        declineCode: outcome.status === 'declined' ? outcome.declineCode : null,
        declineMessage: outcome.status === 'declined' ? outcome.message : null,
        description: request.description ?? null,
        metadata: request.metadata ?? {},
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
      await this.repository.insertPayment(manager, created);
      await this.events.recordMany(manager, paymentEvents(`payment.${status}`, created));
      if (status === 'succeeded' && schedule) {
        await this.rebates.rebate(manager, {
          receiverAccountId,
          currency: request.currency,
          schedule,
          at: now,
          charges: [{ sourceType: 'payment', sourceId: id, amount, fee: created.fee }],
        });
      }
      return created;
    });
    return presentPayment(payment, receiverAccountId);
  }
}
