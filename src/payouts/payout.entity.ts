import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '../database/bigint.transformer.js';
import type { PayoutDestination } from './payout-settings.entity.js';

export const PAYOUT_STATUSES = ['pending', 'in_transit', 'paid', 'failed', 'canceled'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/**
 * The forward-only order of statuses. A provider update may skip steps (pending → paid) but never go back;
 * `failed` may follow `paid` (the bank returned the money), nothing follows `failed` or `canceled`.
 */
const RANK: Record<PayoutStatus, number> = { pending: 0, in_transit: 1, paid: 2, failed: 3, canceled: 3 };

export function canMoveTo(from: PayoutStatus, to: PayoutStatus): boolean {
  if (from === 'failed' || from === 'canceled') return false;
  if (to === 'canceled') return from === 'pending';
  return RANK[to] > RANK[from];
}

@Entity('payouts')
export class Payout {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'account_id' }) accountId!: string;
  @Column('numeric', { transformer: bigintTransformer }) amount!: bigint;
  @Column('text') currency!: string;
  @Column('text') status!: PayoutStatus;
  @Column('boolean') automatic!: boolean;
  @Column('date', { name: 'scheduled_for', nullable: true }) scheduledFor!: string | null;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('jsonb', { nullable: true }) destination!: PayoutDestination | null;
  @Column('text') provider!: string;
  @Column('text', { name: 'idempotency_key' }) idempotencyKey!: string;
  @Column('text', { name: 'provider_transfer_id', nullable: true }) providerTransferId!: string | null;
  @Column('text', { name: 'provider_payout_id', nullable: true }) providerPayoutId!: string | null;
  @Column('text', { name: 'hold_transaction_id' }) holdTransactionId!: string;
  /** The ledger transaction that moved it from payout_in_transit to provider_clearing (shared by a worker batch). */
  @Column('text', { name: 'paid_transaction_id', nullable: true }) paidTransactionId!: string | null;
  /** Paid, then the bank sent the money back. */
  @Column('boolean') returned!: boolean;
  @Column('text', { name: 'failure_code', nullable: true }) failureCode!: string | null;
  @Column('text', { name: 'failure_message', nullable: true }) failureMessage!: string | null;
  /** When a worker first handed it to the provider: from then on it can no longer be canceled. */
  @Column('timestamptz', { name: 'submitted_at', nullable: true }) submittedAt!: Date | null;
  @Column('timestamptz', { name: 'arrival_date', nullable: true }) arrivalDate!: Date | null;
  @Column('timestamptz', { name: 'paid_at', nullable: true }) paidAt!: Date | null;
  @Column('timestamptz', { name: 'failed_at', nullable: true }) failedAt!: Date | null;
  @Column('timestamptz', { name: 'canceled_at', nullable: true }) canceledAt!: Date | null;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
