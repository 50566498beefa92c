import { Inject, Injectable } from '@nestjs/common';
import { AccountsService } from '../../../accounts/accounts.service.js';
import { ApiError } from '../../../common/errors/api-error.js';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import { MandateHoldService } from '../../../mandates/use-cases/settle-mandate-hold/mandate-hold.service.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import type { PaymentView } from '../../dto/payment.dto.js';
import { FEE_REBATE_HOOK, FeeCalculator, type FeeRebateHook } from '../../fees/fee-calculator.js';
import { paymentEvents, presentPayment } from '../../payment.presenter.js';
import { PaymentsRepository } from '../../payments.repository.js';
import { releasePaymentHold } from './release-payment-hold.js';

/**
 * The payer's human confirmation: the hold is posted in full. Limits are not checked again (the hold
 * already counts against them). Only the payer may confirm; a payment past its window expires instead.
 */
@Injectable()
export class ConfirmPaymentService {
  constructor(
    private readonly repository: PaymentsRepository,
    private readonly holds: MandateHoldService,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
    private readonly accounts: AccountsService,
    private readonly fees: FeeCalculator,
    @Inject(FEE_REBATE_HOOK) private readonly rebates: FeeRebateHook,
  ) {}

  async confirm(accountId: string, paymentId: string): Promise<PaymentView> {
    const outcome = await this.transactions.run(async (manager) => {
      const payment = await this.repository.lockPayment(manager, paymentId);
      if (!payment || (payment.payerAccountId !== accountId && payment.receiverAccountId !== accountId)) {
        throw ApiError.notFound('payment', paymentId);
      }
      if (payment.payerAccountId !== accountId) {
        throw ApiError.forbidden('payer_confirmation_required', 'Only the payer can confirm a payment.');
      }
      if (payment.status !== 'requires_confirmation') {
        throw ApiError.conflict(
          'payment_not_awaiting_confirmation',
          `This payment is ${payment.status}; only a payment awaiting confirmation can be confirmed.`,
        );
      }
      const now = new Date();
      if (payment.confirmationExpiresAt && payment.confirmationExpiresAt.getTime() <= now.getTime()) {
        await releasePaymentHold(manager, this.holds, payment, 'expired', now);
        await this.repository.savePayment(manager, payment);
        await this.events.recordMany(manager, paymentEvents('payment.expired', payment));
        return { expired: true as const };
      }
      payment.ledgerTransactionId = await this.holds.capture(manager, {
        holdTransactionId: payment.holdTransactionId!,
        reference: `payment:${payment.id}:confirm`,
      });
      payment.status = 'succeeded';
      payment.succeededAt = now;
      await this.repository.savePayment(manager, payment);
      await this.events.recordMany(manager, paymentEvents('payment.succeeded', payment));
      // The fee was priced when the payment was created; a fee discount is rebated now that the money moved.
      const receiver = await this.accounts.requireAccount(payment.receiverAccountId);
      await this.rebates.rebate(manager, {
        receiverAccountId: payment.receiverAccountId,
        currency: payment.currency,
        schedule: await this.fees.scheduleFor(
          { receiver, currency: payment.currency, at: payment.createdAt, sourceType: 'payment' },
          manager,
        ),
        at: now,
        charges: [{ sourceType: 'payment', sourceId: payment.id, amount: payment.amount, fee: payment.fee }],
      });
      return { expired: false as const, view: presentPayment(payment, accountId) };
    });
    if (outcome.expired) {
      throw ApiError.conflict('payment_expired', 'The confirmation window closed; the hold was released.');
    }
    return outcome.view;
  }
}
