import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsIn, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { ListQuery } from '../../common/pagination/pagination.js';
import { IsCurrencyCode } from '../../common/validation/is-currency-code.js';
import { IsMetadata } from '../../common/validation/is-string-map.js';
import { INSTANT_DESCRIPTION } from '../instant.js';

const PER_MILLION =
  'Decimal string in major units per 1,000,000 tokens ("0.15" = 0.15 per 1M tokens); omit if unpriced.';

export class PerMillionTokensRequest {
  @ApiPropertyOptional({ example: '3.75', description: PER_MILLION })
  @IsOptional()
  @IsString()
  cache_write?: string;

  @ApiPropertyOptional({ example: '0.30', description: PER_MILLION })
  @IsOptional()
  @IsString()
  cached_input?: string;

  @ApiPropertyOptional({ example: '3.00', description: PER_MILLION })
  @IsOptional()
  @IsString()
  input?: string;

  @ApiPropertyOptional({ example: '15.00', description: PER_MILLION })
  @IsOptional()
  @IsString()
  output?: string;

  @ApiPropertyOptional({ example: '15.00', description: PER_MILLION })
  @IsOptional()
  @IsString()
  reasoning?: string;
}

export class CreatePriceRequest {
  @ApiProperty({ example: 'usd' })
  @IsCurrencyCode()
  currency!: string;

  @ApiPropertyOptional({
    oneOf: [{ type: 'integer' }, { type: 'string', format: 'date-time' }],
    description:
      `${INSTANT_DESCRIPTION} When this version takes over; default now. The first version of a product and ` +
      'currency may start in the past; later versions may not start before now or before the current version.',
  })
  @IsOptional()
  @Allow()
  effective_from?: number | string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsMetadata()
  metadata?: Record<string, string>;

  @ApiPropertyOptional({
    example: '0.000001',
    description: 'Decimal string in major units: the least an event rated with this version costs. Default 0.',
  })
  @IsOptional()
  @IsString()
  minimum_per_event?: string;

  @ApiPropertyOptional({ example: '0.002', description: 'Decimal string in major units per call; omit if unpriced.' })
  @IsOptional()
  @IsString()
  per_call?: string;

  @ApiPropertyOptional({ type: PerMillionTokensRequest })
  @IsOptional()
  @ValidateNested()
  @Type(() => PerMillionTokensRequest)
  per_million_tokens?: PerMillionTokensRequest;

  @ApiProperty({ example: 'prod_01jd8...' })
  @IsString()
  @Length(1, 100)
  product!: string;
}

export class ListPricesQuery extends ListQuery {
  @ApiPropertyOptional({ example: 'usd' })
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;

  @ApiPropertyOptional({ example: 'prod_01jd8...' })
  @IsOptional()
  @IsString()
  product?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true: only versions in force now or scheduled; false: only superseded versions.',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  current?: 'true' | 'false';
}

export class PerMillionTokensView {
  @ApiProperty({ nullable: true, type: String, example: '3.75' }) cache_write!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '0.30' }) cached_input!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '3.00' }) input!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '15.00' }) output!: string | null;
  @ApiProperty({ nullable: true, type: String, example: null }) reasoning!: string | null;
}

export class PriceView {
  @ApiProperty({ example: 'price_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['price'] }) object!: 'price';
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty({ description: 'Unix seconds from which this version rates usage.' }) effective_from!: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Unix seconds at which the next version takes over; null while no later version exists.',
  })
  effective_until!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) metadata!: Record<string, string>;
  @ApiProperty({ example: '0' }) minimum_per_event!: string;
  @ApiProperty({ nullable: true, type: String, example: '0.002' }) per_call!: string | null;
  @ApiProperty({ type: PerMillionTokensView }) per_million_tokens!: PerMillionTokensView;
  @ApiProperty({ example: 'prod_01jd8...' }) product!: string;
}

export class PriceListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [PriceView] }) data!: PriceView[];
  @ApiProperty() has_more!: boolean;
}
