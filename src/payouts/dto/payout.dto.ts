import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ListQuery } from '../../common/pagination/pagination.js';
import { IsCurrencyCode } from '../../common/validation/is-currency-code.js';
import { IsMetadata } from '../../common/validation/is-string-map.js';
import { PAYOUT_STATUSES } from '../payout.entity.js';
import type { PayoutStatus } from '../payout.entity.js';
import { PayoutDestinationView } from './payout-settings.dto.js';

export class CreatePayoutRequest {
  @ApiProperty({ example: '120.00', description: 'Whole minor units of the currency, at most the available balance.' })
  @IsString()
  amount!: string;

  @ApiProperty({ example: 'usd' })
  @IsCurrencyCode()
  currency!: string;

  @ApiPropertyOptional({ example: 'March earnings' })
  @IsOptional()
  @IsString()
  @Length(1, 350)
  description?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsMetadata()
  metadata?: Record<string, string>;
}

export class PayoutListQuery extends ListQuery {
  @ApiPropertyOptional({ enum: PAYOUT_STATUSES })
  @IsOptional()
  @IsIn(PAYOUT_STATUSES)
  status?: PayoutStatus;
}

export class PayoutView {
  @ApiProperty({ example: 'po_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['payout'] }) object!: 'payout';
  @ApiProperty({ example: '120.00' }) amount!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Unix seconds: when the money is expected to arrive.' })
  arrival_date!: number | null;
  @ApiProperty({ description: 'True when a scheduled run created it, false for a manual payout.' })
  automatic!: boolean;
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ type: PayoutDestinationView, nullable: true }) destination!: PayoutDestinationView | null;
  @ApiProperty({ nullable: true, type: String, example: 'account_closed' }) failure_code!: string | null;
  @ApiProperty({ nullable: true, type: String }) failure_message!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) metadata!: Record<string, string>;
  @ApiProperty({ enum: ['local', 'stripe'] }) provider!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The payout at the provider (bank transfer, po_…).' })
  provider_payout_id!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Stripe: the transfer that funded the payout.' })
  provider_transfer_id!: string | null;
  @ApiProperty({ description: 'Paid, then returned by the bank (status is then failed).' }) returned!: boolean;
  @ApiProperty({ nullable: true, type: String, example: '2025-03-07', description: 'Scheduled payouts: the run day.' })
  scheduled_for!: string | null;
  @ApiProperty({ enum: PAYOUT_STATUSES }) status!: PayoutStatus;
}

export class PayoutListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [PayoutView] }) data!: PayoutView[];
  @ApiProperty() has_more!: boolean;
}
