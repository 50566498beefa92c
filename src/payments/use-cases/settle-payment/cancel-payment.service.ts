import { Injectable } from '@nestjs/common';
import { ApiError } from '../../../common/errors/api-error.js';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import { MandateHoldService } from '../../../mandates/use-cases/settle-mandate-hold/mandate-hold.service.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import type { PaymentView } from '../../dto/payment.dto.js';
import { paymentEvents, presentPayment } from '../../payment.presenter.js';
import { PaymentsRepository } from '../../payments.repository.js';
import { releasePaymentHold } from './release-payment-hold.js';

/** The payer refuses a payment awaiting confirmation (or the receiver withdraws it): the hold is released. */
@Injectable()
export class CancelPaymentService {
  constructor(
    private readonly repository: PaymentsRepository,
    private readonly holds: MandateHoldService,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
  ) {}

  async cancel(accountId: string, paymentId: string): Promise<PaymentView> {
    return this.transactions.run(async (manager) => {
      const payment = await this.repository.lockPayment(manager, paymentId);
      if (!payment || (payment.payerAccountId !== accountId && payment.receiverAccountId !== accountId)) {
        throw ApiError.notFound('payment', paymentId);
      }
      if (payment.status !== 'requires_confirmation') {
        throw ApiError.conflict(
          'payment_not_awaiting_confirmation',
          `This payment is ${payment.status}; only a payment awaiting confirmation can be canceled.`,
        );
      }
      await releasePaymentHold(manager, this.holds, payment, 'canceled', new Date());
      await this.repository.savePayment(manager, payment);
      await this.events.recordMany(manager, paymentEvents('payment.canceled', payment));
      return presentPayment(payment, accountId);
    });
  }
}
