import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ListQuery } from '../../common/pagination/pagination.js';
import { IsCurrencyCode } from '../../common/validation/is-currency-code.js';
import { IsMetadata } from '../../common/validation/is-string-map.js';
import { DECLINE_CODES } from '../../mandates/use-cases/spend-from-mandate/spend.types.js';

export class CreatePaymentRequest {
  @ApiProperty({ example: '0.25', description: 'Decimal string, up to 9 fractional digits.' })
  @IsString()
  amount!: string;

  @ApiProperty({ example: 'usd' })
  @IsCurrencyCode()
  currency!: string;

  @ApiPropertyOptional({ example: 'Search API call' })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  description?: string;

  @ApiProperty({ example: 'mdt_01jd8...', description: 'The mandate the payer granted you.' })
  @IsString()
  mandate!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsMetadata()
  metadata?: Record<string, string>;
}

export class PaymentListQuery extends ListQuery {
  @ApiPropertyOptional({
    enum: ['payer', 'receiver'],
    description: 'Only payments you made (payer) or received (receiver); both by default.',
  })
  @IsOptional()
  @IsIn(['payer', 'receiver'])
  role?: 'payer' | 'receiver';
}

export class PaymentView {
  @ApiProperty({ example: 'pay_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['payment'] }) object!: 'payment';
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Payer view only: the agent of the mandate.' })
  agent?: string | null;
  @ApiProperty({ example: '0.25' }) amount!: string;
  @ApiProperty({ example: '0.00' }) amount_refunded!: string;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Unix seconds: when a payment awaiting confirmation expires.',
  })
  confirmation_expires_at!: number | null;
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ nullable: true, enum: DECLINE_CODES, type: String }) decline_code!: string | null;
  @ApiProperty({ nullable: true, type: String }) decline_message!: string | null;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiPropertyOptional({ description: 'Receiver view only: the platform fee inside `amount`.' }) fee?: string;
  @ApiPropertyOptional({ description: 'Receiver view only: fee given back by refunds.' }) fee_refunded?: string;
  @ApiProperty() mandate!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Receiver view only.',
  })
  metadata?: Record<string, string>;
  @ApiPropertyOptional({ description: 'Receiver view only: amount − fee.' }) net?: string;
  @ApiProperty() payer!: string;
  @ApiProperty() receiver!: string;
  @ApiProperty({ enum: ['succeeded', 'failed', 'requires_confirmation', 'canceled', 'expired'] }) status!: string;
}

export class PaymentListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [PaymentView] }) data!: PaymentView[];
  @ApiProperty() has_more!: boolean;
}

export class CreateRefundRequest {
  @ApiPropertyOptional({ example: '0.10', description: 'Defaults to everything not yet refunded.' })
  @IsOptional()
  @IsString()
  amount?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsMetadata()
  metadata?: Record<string, string>;

  @ApiProperty({ example: 'pay_01jd8...' })
  @IsString()
  payment!: string;

  @ApiPropertyOptional({ example: 'Service not delivered' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

export class RefundView {
  @ApiProperty({ example: 're_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['refund'] }) object!: 'refund';
  @ApiProperty() amount!: string;
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ description: 'Share of the platform fee given back (refund / amount × fee, cumulative).' })
  fee_refunded!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) metadata!: Record<string, string>;
  @ApiProperty() payment!: string;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ enum: ['succeeded'] }) status!: string;
}
