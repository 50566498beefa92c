import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '../database/bigint.transformer.js';

export const PROGRAM_TYPES = ['token_subsidy', 'fee_discount', 'signup_credit'] as const;
export type ProgramType = (typeof PROGRAM_TYPES)[number];

export const PROGRAM_STATUSES = ['draft', 'active', 'paused', 'ended'] as const;
export type ProgramStatus = (typeof PROGRAM_STATUSES)[number];

/**
 * An incentive program and its budget counters. `funded − withdrawn − spent` is the unspent budget; it always
 * equals the balance of the program's ledger budget account because both change in the same transaction.
 */
@Entity('incentive_programs')
export class IncentiveProgram {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('text') type!: ProgramType;
  @Column('text') currency!: string;
  @Column('text') status!: ProgramStatus;
  @Column('timestamptz', { name: 'starts_at' }) startsAt!: Date;
  @Column('timestamptz', { name: 'ends_at', nullable: true }) endsAt!: Date | null;
  @Column('boolean', { name: 'auto_enroll' }) autoEnroll!: boolean;
  @Column('text', { name: 'required_capabilities', array: true }) requiredCapabilities!: string[];
  @Column('integer', { name: 'max_account_age_days', nullable: true }) maxAccountAgeDays!: number | null;
  @Column('text', { array: true }) countries!: string[];
  @Column('integer', { name: 'subsidy_bps', nullable: true }) subsidyBps!: number | null;
  @Column('numeric', { name: 'monthly_cap_per_account', nullable: true, transformer: bigintTransformer })
  monthlyCapPerAccount!: bigint | null;
  @Column('text', { name: 'eligible_products', array: true }) eligibleProducts!: string[];
  @Column('text', { name: 'eligible_vendors', array: true }) eligibleVendors!: string[];
  @Column('integer', { name: 'fee_rate_bps', nullable: true }) feeRateBps!: number | null;
  @Column('integer', { name: 'duration_days', nullable: true }) durationDays!: number | null;
  @Column('numeric', { name: 'credit_amount', nullable: true, transformer: bigintTransformer })
  creditAmount!: bigint | null;
  /** The ledger account (owner = program id, purpose 'budget', floor 0) that holds the budget. */
  @Column('text', { name: 'budget_ledger_account_id' }) budgetLedgerAccountId!: string;
  @Column('numeric', { transformer: bigintTransformer }) funded!: bigint;
  @Column('numeric', { transformer: bigintTransformer }) withdrawn!: bigint;
  @Column('numeric', { transformer: bigintTransformer }) spent!: bigint;
  @Column('boolean', { name: 'low_notified' }) lowNotified!: boolean;
  @Column('boolean', { name: 'exhausted_notified' }) exhaustedNotified!: boolean;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

/** What the budget can still pay. */
export function remainingBudget(program: Pick<IncentiveProgram, 'funded' | 'withdrawn' | 'spent'>): bigint {
  return program.funded - program.withdrawn - program.spent;
}

/** Open: active and inside its time window. Only open programs enroll accounts and grant benefits. */
export function isOpen(program: Pick<IncentiveProgram, 'status' | 'startsAt' | 'endsAt'>, at: Date): boolean {
  return (
    program.status === 'active' &&
    program.startsAt.getTime() <= at.getTime() &&
    (program.endsAt === null || at.getTime() < program.endsAt.getTime())
  );
}
