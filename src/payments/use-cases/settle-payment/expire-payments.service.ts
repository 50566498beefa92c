import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import { MandateHoldService } from '../../../mandates/use-cases/settle-mandate-hold/mandate-hold.service.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import { paymentEvents } from '../../payment.presenter.js';
import { PaymentsRepository } from '../../payments.repository.js';
import { releasePaymentHold } from './release-payment-hold.js';

const BATCH = 100;

/** Payments left unconfirmed past CONFIRMATION_TTL expire: the hold is released and the limits given back. */
@Injectable()
export class ExpirePaymentsService {
  constructor(
    private readonly repository: PaymentsRepository,
    private readonly holds: MandateHoldService,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
  ) {}

  async expireDue(now = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await this.transactions.run(async (manager) => {
        const due = await this.repository.lockUnconfirmedExpired(manager, now, BATCH);
        for (const payment of due) {
          await releasePaymentHold(manager, this.holds, payment, 'expired', now);
          await this.repository.savePayment(manager, payment);
          await this.events.recordMany(manager, paymentEvents('payment.expired', payment));
        }
        return due.length;
      });
      total += count;
      if (count < BATCH) return total;
    }
  }
}
