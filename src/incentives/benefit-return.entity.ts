import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '../database/bigint.transformer.js';

/** The share of a benefit given back to its budget because its source was refunded. */
@Entity('incentive_benefit_returns')
export class BenefitReturn {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'benefit_id' }) benefitId!: string;
  @Column('text', { name: 'program_id' }) programId!: string;
  @Column('text', { name: 'account_id' }) accountId!: string;
  @Column('text') currency!: string;
  @Column('numeric', { transformer: bigintTransformer }) amount!: bigint;
  @Column('numeric', { name: 'basis_refunded', transformer: bigintTransformer }) basisRefunded!: bigint;
  @Column('text', { name: 'reason_type' }) reasonType!: string;
  @Column('text', { name: 'reason_id' }) reasonId!: string;
  @Column('text', { name: 'ledger_transaction_id', nullable: true }) ledgerTransactionId!: string | null;
  @Column('timestamptz', { name: 'booked_at' }) bookedAt!: Date;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
