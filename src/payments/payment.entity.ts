import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '../database/bigint.transformer.js';
import type { DeclineCode } from '../mandates/use-cases/spend-from-mandate/spend.types.js';

export type PaymentStatus = 'succeeded' | 'failed' | 'requires_confirmation' | 'canceled' | 'expired';

/** A receiver's charge against a payer's mandate. Declined attempts are kept too (status failed). */
@Entity('payments')
export class Payment {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'receiver_account_id' }) receiverAccountId!: string;
  @Column('text', { name: 'payer_account_id' }) payerAccountId!: string;
  @Column('text', { name: 'mandate_id' }) mandateId!: string;
  @Column('text', { name: 'agent_id', nullable: true }) agentId!: string | null;
  @Column('text') currency!: string;
  @Column('numeric', { transformer: bigintTransformer }) amount!: bigint;
  @Column('numeric', { transformer: bigintTransformer }) fee!: bigint;
  @Column('text') status!: PaymentStatus;
  @Column('text', { name: 'decline_code', nullable: true }) declineCode!: DeclineCode | null;
  @Column('text', { name: 'decline_message', nullable: true }) declineMessage!: string | null;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('jsonb') metadata!: Record<string, string>;
  /** The posted transaction that moved the money (null until the payment succeeds). */
  @Column('text', { name: 'ledger_transaction_id', nullable: true }) ledgerTransactionId!: string | null;
  /** The pending transaction of a payment that waited for confirmation. */
  @Column('text', { name: 'hold_transaction_id', nullable: true }) holdTransactionId!: string | null;
  /** The UTC day the payment counts against the mandate's daily limit ('YYYY-MM-DD'); null when declined. */
  @Column('date', { name: 'counted_day', nullable: true }) countedDay!: string | null;
  @Column('numeric', { name: 'amount_refunded', transformer: bigintTransformer }) amountRefunded!: bigint;
  @Column('numeric', { name: 'fee_refunded', transformer: bigintTransformer }) feeRefunded!: bigint;
  @Column('timestamptz', { name: 'confirmation_expires_at', nullable: true }) confirmationExpiresAt!: Date | null;
  @Column('timestamptz', { name: 'succeeded_at', nullable: true }) succeededAt!: Date | null;
  @Column('timestamptz', { name: 'canceled_at', nullable: true }) canceledAt!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
