import { Column, Entity, PrimaryColumn } from 'typeorm';

export type EnrollmentStatus = 'pending' | 'approved' | 'rejected';
export type EnrollmentMethod = 'application' | 'automatic';

/** An account's place in a program. At most one per account and program, whatever its outcome. */
@Entity('incentive_enrollments')
export class IncentiveEnrollment {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'program_id' }) programId!: string;
  @Column('text', { name: 'account_id' }) accountId!: string;
  @Column('text') status!: EnrollmentStatus;
  @Column('text') method!: EnrollmentMethod;
  @Column('text', { nullable: true }) note!: string | null;
  @Column('text', { name: 'rejection_reason', nullable: true }) rejectionReason!: string | null;
  @Column('timestamptz', { name: 'approved_at', nullable: true }) approvedAt!: Date | null;
  @Column('timestamptz', { name: 'rejected_at', nullable: true }) rejectedAt!: Date | null;
  /** Fee discounts: the end of the discount window (approval + duration_days). Null: as long as the program. */
  @Column('timestamptz', { name: 'benefit_ends_at', nullable: true }) benefitEndsAt!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
