import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '../database/bigint.transformer.js';
import type { PayoutInterval, Weekday } from './payout-schedule.js';

/** Where a payout goes: a bank account on the local rail, or a Stripe external account of the connected account. */
export type PayoutDestination =
  | {
      type: 'bank_account';
      accountHolderName: string;
      accountNumber: string;
      routingNumber: string | null;
      country: string;
      currency: string;
    }
  | { type: 'external_account'; externalAccount: string };

@Entity('payout_settings')
export class PayoutSettings {
  @PrimaryColumn('text', { name: 'account_id' }) accountId!: string;
  @Column('text') interval!: PayoutInterval;
  @Column('text', { name: 'weekly_anchor', nullable: true }) weeklyAnchor!: Weekday | null;
  @Column('integer', { name: 'monthly_anchor', nullable: true }) monthlyAnchor!: number | null;
  @Column('numeric', { name: 'minimum_amount', transformer: bigintTransformer }) minimumAmount!: bigint;
  @Column('text', { name: 'minimum_currency', nullable: true }) minimumCurrency!: string | null;
  @Column('jsonb', { nullable: true }) destination!: PayoutDestination | null;
  @Column('integer', { name: 'destination_version' }) destinationVersion!: number;
  /** Set when a payout failed: scheduled payouts wait until the destination changes. */
  @Column('text', { name: 'paused_reason', nullable: true }) pausedReason!: string | null;
  @Column('text', { name: 'paused_by_payout_id', nullable: true }) pausedByPayoutId!: string | null;
  /** Operator override of SETTLEMENT_DELAY_DAYS; null = the platform default. */
  @Column('integer', { name: 'settlement_delay_days', nullable: true }) settlementDelayDays!: number | null;
  @Column('integer', { name: 'reserve_bps' }) reserveBps!: number;
  @Column('integer', { name: 'reserve_hold_days' }) reserveHoldDays!: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

export function defaultPayoutSettings(accountId: string, now: Date): PayoutSettings {
  return Object.assign(new PayoutSettings(), {
    accountId,
    interval: 'daily',
    weeklyAnchor: null,
    monthlyAnchor: null,
    minimumAmount: 0n,
    minimumCurrency: null,
    destination: null,
    destinationVersion: 0,
    pausedReason: null,
    pausedByPayoutId: null,
    settlementDelayDays: null,
    reserveBps: 0,
    reserveHoldDays: 0,
    createdAt: now,
    updatedAt: now,
  } satisfies PayoutSettings);
}
