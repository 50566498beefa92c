import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '../database/bigint.transformer.js';

export type AuthorizationStatus = 'active' | 'captured' | 'voided' | 'expired' | 'declined';

/**
 * An "up to" hold on a payer's wallet for a vendor, counted against the mandate. Usage naming it (or an explicit
 * capture) moves money out of the hold; the rest goes back to the wallet and the mandate when it is captured
 * with `final`, voided or expires. `holdTransactionId` is the ledger hold standing for the remainder.
 */
@Entity('usage_authorizations')
export class UsageAuthorization {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'account_id' }) accountId!: string;
  @Column('text', { name: 'mandate_id' }) mandateId!: string;
  @Column('text', { name: 'payer_account_id', nullable: true }) payerAccountId!: string | null;
  @Column('text') currency!: string;
  @Column('numeric', { transformer: bigintTransformer }) amount!: bigint;
  @Column('numeric', { transformer: bigintTransformer }) captured!: bigint;
  @Column('numeric', { name: 'captured_fee', transformer: bigintTransformer }) capturedFee!: bigint;
  @Column('text') status!: AuthorizationStatus;
  @Column('text', { name: 'decline_code', nullable: true }) declineCode!: string | null;
  @Column('text', { name: 'decline_message', nullable: true }) declineMessage!: string | null;
  @Column('text', { name: 'hold_transaction_id', nullable: true }) holdTransactionId!: string | null;
  /** The UTC day the hold was counted against the mandate: what the released remainder is given back to. */
  @Column('date', { name: 'counted_day', nullable: true }) countedDay!: string | null;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt!: Date;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

/** What is still held and may be captured. */
export function remainingOf(authorization: UsageAuthorization): bigint {
  return authorization.status === 'active' ? authorization.amount - authorization.captured : 0n;
}
