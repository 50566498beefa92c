import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '../database/bigint.transformer.js';

/** Platform money moved into (fund) or out of (withdraw) a program budget. */
@Entity('incentive_budget_movements')
export class BudgetMovement {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'program_id' }) programId!: string;
  @Column('text') type!: 'fund' | 'withdraw';
  @Column('text') currency!: string;
  @Column('numeric', { transformer: bigintTransformer }) amount!: bigint;
  @Column('text', { name: 'ledger_transaction_id' }) ledgerTransactionId!: string;
  @Column('timestamptz', { name: 'booked_at' }) bookedAt!: Date;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
