import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '../database/bigint.transformer.js';

export type AccountCapability = 'receive' | 'pay';

@Entity('accounts')
export class Account {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('text') email!: string;
  @Column('char', { length: 2 }) country!: string;
  @Column('text', { name: 'default_currency' }) defaultCurrency!: string;
  @Column('text', { array: true }) capabilities!: AccountCapability[];
  @Column('text') status!: 'active' | 'suspended';
  @Column('text', { name: 'verification_status' }) verificationStatus!:
    'unverified' | 'pending' | 'verified' | 'rejected';
  @Column('boolean', { name: 'charges_enabled' }) chargesEnabled!: boolean;
  @Column('boolean', { name: 'payouts_enabled' }) payoutsEnabled!: boolean;
  @Column('text') provider!: string;
  @Column('text', { name: 'provider_account_id', nullable: true }) providerAccountId!: string | null;
  @Column('integer', { name: 'fee_bps', nullable: true }) feeBps!: number | null;
  @Column('numeric', { name: 'fee_fixed', nullable: true, transformer: bigintTransformer }) feeFixed!: bigint | null;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
