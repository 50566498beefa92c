import type { EntityManager } from 'typeorm';
import type { MandateHoldService } from '../../../mandates/use-cases/settle-mandate-hold/mandate-hold.service.js';
import type { Payment } from '../../payment.entity.js';

/**
 * Ends a payment that waited for confirmation without paying it: voids its hold and gives the amount back
 * to the mandate's limits. The payment row must be locked by the caller and still `requires_confirmation`.
 */
export async function releasePaymentHold(
  manager: EntityManager,
  holds: MandateHoldService,
  payment: Payment,
  outcome: 'canceled' | 'expired',
  at: Date,
): Promise<void> {
  await holds.release(manager, {
    mandateId: payment.mandateId,
    holdTransactionId: payment.holdTransactionId!,
    amount: payment.amount,
    countedDay: payment.countedDay!,
    reference: `payment:${payment.id}:${outcome === 'canceled' ? 'cancel' : 'expire'}`,
    at,
  });
  payment.status = outcome;
  payment.canceledAt = at;
}
