import { PAYOUT_SCHEDULER_QUEUE, PAYOUTS_QUEUE } from '../common/queues.js';

export { PAYOUT_SCHEDULER_QUEUE, PAYOUTS_QUEUE };

/** One job per payout (and one per transfer reversal) on PAYOUTS_QUEUE, behind the provider's rate limit. */
export const SUBMIT_PAYOUT_JOB = 'submit-payout';
export const REVERSE_PAYOUT_TRANSFER_JOB = 'reverse-payout-transfer';

/** The repeatable clock tick: settlement, reserve releases, rail updates, stuck payouts, scheduled payouts. */
export const PAYOUT_TICK_JOB = 'payout-tick';

/** The repeatable copy of new pending-balance movements into settlement items, between two ticks. */
export const SETTLEMENT_INGEST_JOB = 'settlement-ingest';

/** Deterministic: the outbox relay may enqueue a payout twice after a crash, BullMQ keeps one job. */
export function submitPayoutJobId(payoutId: string): string {
  return `submit-${payoutId}`;
}

/** A re-submission of a payout left pending (a lost job after a Redis restart): one per sweep window. */
export function resubmitPayoutJobId(payoutId: string, window: number): string {
  return `resubmit-${payoutId}-${window}`;
}

export function reverseTransferJobId(payoutId: string): string {
  return `reverse-${payoutId}`;
}

/** The idempotency key the provider sees for a payout: derived from its id, identical on every attempt. */
export function payoutIdempotencyKey(payoutId: string): string {
  return `payout-${payoutId}`;
}
