import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsCurrencyCode } from '../../common/validation/is-currency-code.js';
import { PAYOUT_INTERVALS, WEEKDAYS } from '../payout-schedule.js';
import type { PayoutInterval, Weekday } from '../payout-schedule.js';

export class PayoutScheduleRequest {
  @ApiProperty({ enum: PAYOUT_INTERVALS, example: 'weekly' })
  @IsIn(PAYOUT_INTERVALS)
  interval!: PayoutInterval;

  @ApiPropertyOptional({ minimum: 1, maximum: 31, description: 'Day of the month for `monthly` (31 = last day).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(31)
  monthly_anchor?: number;

  @ApiPropertyOptional({ enum: WEEKDAYS, description: 'Weekday for `weekly`.' })
  @IsOptional()
  @IsIn(WEEKDAYS)
  weekly_anchor?: Weekday;
}

export class MoneyRequest {
  @ApiProperty({ example: '25.00', description: 'Decimal string in major units.' })
  @IsString()
  amount!: string;

  @ApiProperty({ example: 'usd' })
  @IsCurrencyCode()
  currency!: string;
}

export class PayoutDestinationRequest {
  @ApiPropertyOptional({ example: 'Ada Lovelace', description: '`bank_account` only.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  account_holder_name?: string;

  @ApiPropertyOptional({ example: '000123456789', description: '`bank_account` (US): 4 to 17 digits.' })
  @IsOptional()
  @IsString()
  account_number?: string;

  @ApiPropertyOptional({ example: 'US', description: '`bank_account` only.' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be a two-letter ISO 3166-1 code in upper case such as "US"' })
  country?: string;

  @ApiPropertyOptional({ example: 'usd', description: '`bank_account` only.' })
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;

  @ApiPropertyOptional({ example: 'ba_1Nv...', description: '`external_account` (Stripe): the external account id.' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  external_account?: string;

  @ApiPropertyOptional({ example: 'DE89370400440532013000', description: '`bank_account` outside the US.' })
  @IsOptional()
  @IsString()
  iban?: string;

  @ApiPropertyOptional({ example: '110000000', description: '`bank_account` (US): ABA routing number.' })
  @IsOptional()
  @IsString()
  routing_number?: string;

  @ApiProperty({ enum: ['bank_account', 'external_account'] })
  @IsIn(['bank_account', 'external_account'])
  type!: 'bank_account' | 'external_account';
}

export class UpdatePayoutSettingsRequest {
  @ApiPropertyOptional({ type: PayoutDestinationRequest })
  @IsOptional()
  @ValidateNested()
  @Type(() => PayoutDestinationRequest)
  destination?: PayoutDestinationRequest;

  @ApiPropertyOptional({
    type: MoneyRequest,
    nullable: true,
    description: 'Scheduled payouts wait until the available balance reaches this amount; null removes it.',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @ValidateNested()
  @Type(() => MoneyRequest)
  minimum_amount?: MoneyRequest | null;

  @ApiPropertyOptional({ type: PayoutScheduleRequest })
  @IsOptional()
  @ValidateNested()
  @Type(() => PayoutScheduleRequest)
  schedule?: PayoutScheduleRequest;
}

export class UpdateSettlementTermsRequest {
  @ApiPropertyOptional({ minimum: 0, maximum: 10000, description: 'Rolling reserve share in basis points.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  reserve_bps?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 365, description: 'Days a reserved share is held before release.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  reserve_hold_days?: number;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    minimum: 0,
    maximum: 365,
    description: 'Days from a payment until its funds are available; null restores SETTLEMENT_DELAY_DAYS.',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(0)
  @Max(365)
  settlement_delay_days?: number | null;
}

export class MoneyView {
  @ApiProperty({ example: '25.00' }) amount!: string;
  @ApiProperty({ example: 'usd' }) currency!: string;
}

export class PayoutScheduleView {
  @ApiProperty({ enum: PAYOUT_INTERVALS }) interval!: PayoutInterval;
  @ApiProperty({ nullable: true, type: Number }) monthly_anchor!: number | null;
  @ApiProperty({ nullable: true, enum: WEEKDAYS }) weekly_anchor!: Weekday | null;
}

export class PayoutDestinationView {
  @ApiProperty({ nullable: true, type: String }) account_holder_name!: string | null;
  @ApiProperty({ nullable: true, type: String }) country!: string | null;
  @ApiProperty({ nullable: true, type: String }) currency!: string | null;
  @ApiProperty({ nullable: true, type: String }) external_account!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Last four characters of the account number or IBAN.' })
  last4!: string | null;
  @ApiProperty({ nullable: true, type: String }) routing_number!: string | null;
  @ApiProperty({ enum: ['bank_account', 'external_account'] }) type!: string;
}

export class ReserveTermsView {
  @ApiProperty({ description: 'Share of each settlement held back, in basis points.' }) bps!: number;
  @ApiProperty({ description: 'Days a held share waits before release.' }) hold_days!: number;
}

export class PayoutSettingsView {
  @ApiProperty({ enum: ['payout_settings'] }) object!: 'payout_settings';
  @ApiProperty() account!: string;
  @ApiProperty({ type: PayoutDestinationView, nullable: true }) destination!: PayoutDestinationView | null;
  @ApiProperty({ type: MoneyView, nullable: true }) minimum_amount!: MoneyView | null;
  @ApiProperty({ nullable: true, type: String, example: 'payout_failed' }) paused_reason!: string | null;
  @ApiProperty({ description: 'Scheduled payouts are paused until the destination changes.' })
  payouts_paused!: boolean;
  @ApiProperty({ type: ReserveTermsView }) reserve!: ReserveTermsView;
  @ApiProperty({ type: PayoutScheduleView }) schedule!: PayoutScheduleView;
  @ApiProperty({ description: 'Days from a payment until its funds become available (effective value).' })
  settlement_delay_days!: number;
  @ApiProperty({ description: 'Unix seconds.' }) updated!: number;
}
