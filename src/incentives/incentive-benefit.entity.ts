import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '../database/bigint.transformer.js';

export type BenefitType = 'token_subsidy' | 'fee_rebate' | 'signup_credit';

/** One benefit paid out of a program budget: exactly one ledger transaction, linked to what caused it. */
@Entity('incentive_benefits')
export class IncentiveBenefit {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'program_id' }) programId!: string;
  /** The beneficiary: the payer of a subsidized usage event, the receiver of a rebated fee, the credited payer. */
  @Column('text', { name: 'account_id' }) accountId!: string;
  @Column('text') type!: BenefitType;
  @Column('text') currency!: string;
  @Column('numeric', { transformer: bigintTransformer }) amount!: bigint;
  /** What the terms promised before the budget or the monthly cap cut it. */
  @Column('numeric', { transformer: bigintTransformer }) requested!: bigint;
  /** What the benefit was computed on (token cost, full fee, credit amount): refunds return `amount` pro rata. */
  @Column('numeric', { transformer: bigintTransformer }) basis!: bigint;
  @Column('numeric', { transformer: bigintTransformer }) returned!: bigint;
  @Column('numeric', { name: 'basis_refunded', transformer: bigintTransformer }) basisRefunded!: bigint;
  @Column('text', { name: 'source_type' }) sourceType!: string;
  @Column('text', { name: 'source_id' }) sourceId!: string;
  /** The other side: the vendor paid by a subsidy, or null. */
  @Column('text', { name: 'counterparty_account_id', nullable: true }) counterpartyAccountId!: string | null;
  /** Token subsidies: the UTC month ('YYYY-MM-01') whose cap the benefit counts against. */
  @Column('date', { name: 'cap_month', nullable: true }) capMonth!: string | null;
  @Column('text', { name: 'ledger_transaction_id' }) ledgerTransactionId!: string;
  /** When the cause happened (the usage event's timestamp, the payment). */
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt!: Date;
  /** When the ledger booked it: reports group by this so they add up to the ledger. */
  @Column('timestamptz', { name: 'booked_at' }) bookedAt!: Date;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
