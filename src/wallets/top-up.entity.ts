import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '../database/bigint.transformer.js';

export type TopUpStatus = 'pending' | 'succeeded' | 'failed';

/** Money a payer adds to its wallet through the payment provider; credited once, when the provider confirms. */
@Entity('top_ups')
export class TopUp {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'account_id' }) accountId!: string;
  @Column('text') currency!: string;
  @Column('numeric', { transformer: bigintTransformer }) amount!: bigint;
  @Column('text') status!: TopUpStatus;
  @Column('text') provider!: string;
  @Column('text', { name: 'provider_payment_id', nullable: true }) providerPaymentId!: string | null;
  @Column('text', { name: 'client_secret', nullable: true }) clientSecret!: string | null;
  @Column('text', { name: 'failure_code', nullable: true }) failureCode!: string | null;
  @Column('text', { name: 'failure_message', nullable: true }) failureMessage!: string | null;
  @Column('text', { name: 'ledger_transaction_id', nullable: true }) ledgerTransactionId!: string | null;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt!: Date | null;
}
