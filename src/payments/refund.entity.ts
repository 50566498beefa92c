import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '../database/bigint.transformer.js';

/** Money a receiver gives back to the payer's wallet, with the matching share of the platform fee. */
@Entity('refunds')
export class Refund {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'payment_id' }) paymentId!: string;
  @Column('text', { name: 'receiver_account_id' }) receiverAccountId!: string;
  @Column('text', { name: 'payer_account_id' }) payerAccountId!: string;
  @Column('text', { name: 'mandate_id' }) mandateId!: string;
  @Column('text') currency!: string;
  @Column('numeric', { transformer: bigintTransformer }) amount!: bigint;
  @Column('numeric', { name: 'fee_refunded', transformer: bigintTransformer }) feeRefunded!: bigint;
  @Column('text') status!: 'succeeded';
  @Column('text', { nullable: true }) reason!: string | null;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('text', { name: 'ledger_transaction_id' }) ledgerTransactionId!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
