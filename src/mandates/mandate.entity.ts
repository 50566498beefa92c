import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '../database/bigint.transformer.js';

export type MandateStatus = 'active' | 'exhausted' | 'expired' | 'revoked';

/**
 * A payer's standing permission for its agents to pay named payees, within limits. `spentTotal` and
 * `spentDayAmount` (for the UTC day `spentDay`) include open holds: a payment awaiting confirmation counts
 * against the limits until it is confirmed (stays counted) or released (given back).
 */
@Entity('mandates')
export class Mandate {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'payer_account_id' }) payerAccountId!: string;
  @Column('text', { name: 'agent_id', nullable: true }) agentId!: string | null;
  @Column('text', { name: 'payee_account_ids', array: true }) payeeAccountIds!: string[];
  @Column('text') currency!: string;
  @Column('numeric', { name: 'max_amount_per_payment', nullable: true, transformer: bigintTransformer })
  maxAmountPerPayment!: bigint | null;
  @Column('numeric', { name: 'max_amount_per_day', nullable: true, transformer: bigintTransformer })
  maxAmountPerDay!: bigint | null;
  @Column('numeric', { name: 'total_budget', nullable: true, transformer: bigintTransformer })
  totalBudget!: bigint | null;
  @Column('numeric', { name: 'confirmation_threshold', nullable: true, transformer: bigintTransformer })
  confirmationThreshold!: bigint | null;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt!: Date | null;
  @Column('text') description!: string;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('text') status!: MandateStatus;
  @Column('numeric', { name: 'spent_total', transformer: bigintTransformer }) spentTotal!: bigint;
  /** UTC calendar day, 'YYYY-MM-DD'. */
  @Column('date', { name: 'spent_day' }) spentDay!: string;
  @Column('numeric', { name: 'spent_day_amount', transformer: bigintTransformer }) spentDayAmount!: bigint;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

/** The UTC calendar day of an instant, as Postgres prints a `date`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** What the mandate has spent on the UTC day of `at` (counters of an earlier day read as zero). */
export function spentOn(mandate: Mandate, at: Date): bigint {
  return mandate.spentDay === utcDay(at) ? mandate.spentDayAmount : 0n;
}

/** The status a reader should see: an active or exhausted mandate past its expiry reads as expired. */
export function effectiveStatus(mandate: Mandate, at: Date): MandateStatus {
  if (mandate.status === 'revoked' || mandate.status === 'expired') return mandate.status;
  if (mandate.expiresAt && mandate.expiresAt.getTime() <= at.getTime()) return 'expired';
  return mandate.status;
}
