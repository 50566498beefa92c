import { Inject, Injectable } from '@nestjs/common';
import { formatAmount, prorate } from '../../../../libs/money/src/index.js';
import { ApiError } from '../../../common/errors/api-error.js';
import { newId } from '../../../common/ids.js';
import { parseMoneyParam } from '../../../common/validation/parse-money-param.js';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import { LedgerService } from '../../../ledger/ledger.service.js';
import { MandateGiveBackService } from '../../../mandates/use-cases/give-back-mandate-spend/give-back-mandate-spend.service.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import type { CreateRefundRequest, RefundView } from '../../dto/payment.dto.js';
import { FEE_REBATE_HOOK, type FeeRebateHook } from '../../fees/fee-calculator.js';
import { presentRefund } from '../../payment.presenter.js';
import { PaymentsRepository } from '../../payments.repository.js';
import { Refund } from '../../refund.entity.js';

/**
 * The fee given back by a refund, in proportion: after refunds totalling R of a payment of amount A and fee F,
 * the fee refunded in total is round_half_even(F × R / A). Each refund gives back the difference from what
 * earlier refunds gave, so partial refunds never drift and a full refund returns exactly F.
 */
export function feeToRefund(
  amount: bigint,
  fee: bigint,
  refundedBefore: bigint,
  feeRefundedBefore: bigint,
  refund: bigint,
) {
  return prorate(fee, refundedBefore + refund, amount) - feeRefundedBefore;
}

/**
 * A receiver gives money back to the payer's wallet: a partial reversal of the payment's ledger transaction,
 * net from the receiver's pending balance (which may go negative: payouts wait until it is covered again)
 * and the fee share from platform fees. The mandate's spent figures go down by the refunded amount.
 */
@Injectable()
export class CreateRefundService {
  constructor(
    private readonly repository: PaymentsRepository,
    private readonly giveBack: MandateGiveBackService,
    private readonly ledger: LedgerService,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
    @Inject(FEE_REBATE_HOOK) private readonly rebates: FeeRebateHook,
  ) {}

  async create(receiverAccountId: string, request: CreateRefundRequest): Promise<RefundView> {
    const requested = request.amount === undefined ? null : parseMoneyParam(request.amount, 'amount');
    return this.transactions.run(async (manager) => {
      const payment = await this.repository.lockPayment(manager, request.payment);
      if (!payment || payment.receiverAccountId !== receiverAccountId) {
        throw ApiError.notFound('payment', request.payment, 'payment');
      }
      if (payment.status !== 'succeeded') {
        throw ApiError.badRequest(
          'payment_not_refundable',
          `Only a succeeded payment can be refunded; this one is ${payment.status}.`,
          'payment',
        );
      }
      const remaining = payment.amount - payment.amountRefunded;
      const amount = requested ?? remaining;
      if (amount <= 0n || amount > remaining) {
        throw ApiError.badRequest(
          'refund_exceeds_remaining',
          `At most ${formatAmount(remaining, payment.currency)} of this payment can still be refunded.`,
          'amount',
        );
      }
      const fee = feeToRefund(payment.amount, payment.fee, payment.amountRefunded, payment.feeRefunded, amount);
      const now = new Date();
      const id = newId('re');
      await this.giveBack.giveBack(manager, {
        mandateId: payment.mandateId,
        amount,
        countedDay: payment.countedDay!,
        at: now,
      });
      // The payment's ledger legs are [net to the receiver, fee to the platform], each present when > 0.
      const amounts: bigint[] = [];
      if (payment.amount - payment.fee > 0n) amounts.push(amount - fee);
      if (payment.fee > 0n) amounts.push(fee);
      const tx = await this.ledger.reverse(
        payment.ledgerTransactionId!,
        { reference: `refund:${id}`, amounts, type: 'refund', sourceType: 'refund', sourceId: id },
        manager,
      );
      const refund = Object.assign(new Refund(), {
        id,
        paymentId: payment.id,
        receiverAccountId,
        payerAccountId: payment.payerAccountId,
        mandateId: payment.mandateId,
        currency: payment.currency,
        amount,
        feeRefunded: fee,
        status: 'succeeded',
        reason: request.reason ?? null,
        metadata: request.metadata ?? {},
        ledgerTransactionId: tx.id,
        createdAt: now,
      } satisfies Refund);
      await this.repository.insertRefund(manager, refund);
      // A fee-discount rebate paid on the payment goes back to its budget in proportion.
      await this.rebates.giveBack(manager, {
        sourceType: 'payment',
        sourceId: payment.id,
        refundedAmount: amount,
        refundId: id,
      });
      payment.amountRefunded += amount;
      payment.feeRefunded += fee;
      await this.repository.savePayment(manager, payment);
      const view = presentRefund(refund);
      await this.events.recordMany(manager, [
        { accountId: receiverAccountId, type: 'refund.succeeded', object: view },
        { accountId: payment.payerAccountId, type: 'refund.succeeded', object: { ...view, metadata: {} } },
      ]);
      return view;
    });
  }

  async get(receiverAccountId: string, id: string): Promise<RefundView> {
    const refund = await this.repository.findReceiverRefund(receiverAccountId, id);
    if (!refund) throw ApiError.notFound('refund', id);
    return presentRefund(refund);
  }
}
