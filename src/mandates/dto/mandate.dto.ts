import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Min,
} from 'class-validator';
import { ListQuery } from '../../common/pagination/pagination.js';
import { IsCurrencyCode } from '../../common/validation/is-currency-code.js';
import { IsMetadata } from '../../common/validation/is-string-map.js';
import type { MandateStatus } from '../mandate.entity.js';

const AMOUNT = { type: String, example: '25.00' } as const;

export class CreateMandateRequest {
  @ApiPropertyOptional({ example: 'agt_01jd8...', description: 'The agent of yours that acts under this mandate.' })
  @IsOptional()
  @IsString()
  agent?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Accounts that may charge this mandate (instead of `payee`, or in addition to it).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  allowed_payees?: string[];

  @ApiPropertyOptional({
    ...AMOUNT,
    description: 'Payments above this amount wait for the payer to confirm them. Omit to never ask.',
  })
  @IsOptional()
  @IsString()
  confirmation_threshold?: string;

  @ApiProperty({ example: 'usd' })
  @IsCurrencyCode()
  currency!: string;

  @ApiProperty({ example: 'Book train tickets for business trips, up to 200 USD a day.' })
  @IsString()
  @Length(1, 1000)
  description!: string;

  @ApiPropertyOptional({ description: 'Unix seconds after which the mandate no longer pays; must be in the future.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  expires_at?: number;

  @ApiPropertyOptional({ ...AMOUNT, description: 'Most the payees may charge in one UTC day.' })
  @IsOptional()
  @IsString()
  max_amount_per_day?: string;

  @ApiPropertyOptional({ ...AMOUNT, description: 'Most one payment may be.' })
  @IsOptional()
  @IsString()
  max_amount_per_payment?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsMetadata()
  metadata?: Record<string, string>;

  @ApiPropertyOptional({ example: 'acct_01jd8...', description: 'The account that may charge this mandate.' })
  @IsOptional()
  @IsString()
  payee?: string;

  @ApiPropertyOptional({ ...AMOUNT, description: 'Most the mandate may ever spend (refunds give budget back).' })
  @IsOptional()
  @IsString()
  total_budget?: string;
}

export class MandateListQuery extends ListQuery {
  @ApiPropertyOptional({
    enum: ['payer', 'payee'],
    description: 'Only mandates you granted (payer) or that were granted to you (payee); both by default.',
  })
  @IsOptional()
  @IsIn(['payer', 'payee'])
  role?: 'payer' | 'payee';
}

export class MandateView {
  @ApiProperty({ example: 'mdt_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['mandate'] }) object!: 'mandate';
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Shown to the payer only.' })
  agent?: string | null;
  @ApiProperty({ type: [String], description: 'To a payee: only itself.' }) allowed_payees!: string[];
  @ApiProperty({ nullable: true, type: String }) confirmation_threshold!: string | null;
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty() currency!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Unix seconds.' }) expires_at!: number | null;
  @ApiProperty({ nullable: true, type: String }) max_amount_per_day!: string | null;
  @ApiProperty({ nullable: true, type: String }) max_amount_per_payment!: string | null;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Shown to the payer only.',
  })
  metadata?: Record<string, string>;
  @ApiProperty({ example: 'acct_01jd8...' }) payer!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Null when the mandate has no total budget.' })
  remaining_budget!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Unix seconds.' }) revoked_at!: number | null;
  @ApiProperty({ description: 'Spent (or held for confirmation) today, UTC.' }) spent_today!: string;
  @ApiProperty({ description: 'Spent (or held for confirmation) in total, net of refunds.' }) spent_total!: string;
  @ApiProperty({ enum: ['active', 'exhausted', 'expired', 'revoked'] }) status!: MandateStatus;
  @ApiProperty({ nullable: true, type: String }) total_budget!: string | null;
}

export class MandateListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [MandateView] }) data!: MandateView[];
  @ApiProperty() has_more!: boolean;
}
