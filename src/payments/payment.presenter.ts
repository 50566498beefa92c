import { formatAmount } from '../../libs/money/src/index.js';
import { unixSeconds } from '../common/pagination/pagination.js';
import type { PaymentView, RefundView } from './dto/payment.dto.js';
import type { Payment } from './payment.entity.js';
import type { Refund } from './refund.entity.js';

/** Each side sees its own view: the receiver its fee, net and metadata; the payer the agent that spent. */
export function presentPayment(payment: Payment, viewerAccountId: string): PaymentView {
  const currency = payment.currency;
  const isReceiver = viewerAccountId === payment.receiverAccountId;
  return {
    id: payment.id,
    object: 'payment',
    ...(isReceiver ? {} : { agent: payment.agentId }),
    amount: formatAmount(payment.amount, currency),
    amount_refunded: formatAmount(payment.amountRefunded, currency),
    confirmation_expires_at:
      payment.status === 'requires_confirmation' && payment.confirmationExpiresAt
        ? unixSeconds(payment.confirmationExpiresAt)
        : null,
    created: unixSeconds(payment.createdAt),
    currency,
    decline_code: payment.declineCode,
    decline_message: payment.declineMessage,
    description: payment.description,
    ...(isReceiver
      ? {
          fee: formatAmount(payment.fee, currency),
          fee_refunded: formatAmount(payment.feeRefunded, currency),
          metadata: payment.metadata,
          net: formatAmount(payment.amount - payment.fee, currency),
        }
      : {}),
    mandate: payment.mandateId,
    payer: payment.payerAccountId,
    receiver: payment.receiverAccountId,
    status: payment.status,
  };
}

export function presentRefund(refund: Refund): RefundView {
  return {
    id: refund.id,
    object: 'refund',
    amount: formatAmount(refund.amount, refund.currency),
    created: unixSeconds(refund.createdAt),
    currency: refund.currency,
    fee_refunded: formatAmount(refund.feeRefunded, refund.currency),
    metadata: refund.metadata,
    payment: refund.paymentId,
    reason: refund.reason,
    status: refund.status,
  };
}

/** A payment event for each side, in its own view. */
export function paymentEvents(type: string, payment: Payment) {
  return [payment.receiverAccountId, payment.payerAccountId].map((accountId) => ({
    accountId,
    type,
    object: presentPayment(payment, accountId),
  }));
}
