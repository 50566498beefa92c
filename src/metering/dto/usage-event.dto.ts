import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Min } from 'class-validator';
import { INSTANT_DESCRIPTION } from '../../catalog/instant.js';
import { ListQuery } from '../../common/pagination/pagination.js';

export class UsageQuantitiesView {
  @ApiPropertyOptional({ example: 1200, minimum: 0, description: 'Tokens written to a prompt cache.' })
  cache_write_tokens?: number;
  @ApiPropertyOptional({ example: 8000, minimum: 0, description: 'Input tokens served from a prompt cache.' })
  cached_input_tokens?: number;
  @ApiPropertyOptional({ example: 1, minimum: 0, description: 'Calls, rated with the price’s per_call.' })
  calls?: number;
  @ApiPropertyOptional({ example: 1500, minimum: 0, description: 'Input tokens not served from a cache.' })
  input_tokens?: number;
  @ApiPropertyOptional({ example: 350, minimum: 0 })
  output_tokens?: number;
  @ApiPropertyOptional({ example: 0, minimum: 0 })
  reasoning_tokens?: number;
}

/** Documentation of one event; the body is validated event by event (a bad event never fails its neighbours). */
export class UsageEventInput {
  @ApiPropertyOptional({ example: 'authz_01jd8...', description: 'Capture this usage against the authorization.' })
  authorization?: string;
  @ApiProperty({ example: 'req_7f3a9c', description: 'Your id for the event, unique per vendor (1–255 characters).' })
  id!: string;
  @ApiProperty({ example: 'mandate_01jd8...', description: 'The payer’s mandate naming you as a payee.' })
  mandate!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  metadata?: Record<string, string>;
  @ApiPropertyOptional({ example: 'price_01jd8...', description: 'Rate with this price version (instead of product).' })
  price?: string;
  @ApiPropertyOptional({
    example: 'prod_01jd8...',
    description: 'Rate with the product’s price version in force at `timestamp`, in the mandate’s currency.',
  })
  product?: string;
  @ApiProperty({ type: UsageQuantitiesView, description: 'Whole numbers ≥ 0; at least one.' })
  quantities!: UsageQuantitiesView;
  @ApiProperty({
    oneOf: [{ type: 'integer' }, { type: 'string', format: 'date-time' }],
    description: `${INSTANT_DESCRIPTION} At most USAGE_MAX_AGE_DAYS old and 5 minutes ahead.`,
  })
  timestamp!: number | string;
}

export class UsageEventBatchInput {
  @ApiProperty({ type: [UsageEventInput], minItems: 1, maxItems: 1000 })
  events!: UsageEventInput[];
}

export const USAGE_RESULT_STATUSES = ['accepted', 'duplicate', 'conflict', 'rejected'] as const;
export type UsageResultStatus = (typeof USAGE_RESULT_STATUSES)[number];

export class UsageEventResultView {
  @ApiProperty({ nullable: true, type: String, description: 'Your event id, as sent (null when it was unreadable).' })
  id!: string | null;
  @ApiProperty({
    enum: USAGE_RESULT_STATUSES,
    description:
      '`accepted`: rated and charged now. `duplicate`: the same id and content were accepted before; this is ' +
      'that outcome again and nothing more was charged. `conflict`: the id was accepted before with other ' +
      'content. `rejected`: see `code`; nothing was charged.',
  })
  status!: UsageResultStatus;
  @ApiProperty({ nullable: true, type: String, example: '0.0123', description: 'What the payer paid (gross).' })
  amount!: string | null;
  @ApiPropertyOptional({ example: 'insufficient_funds' }) code?: string;
  @ApiProperty({ nullable: true, type: String, example: 'usd' }) currency!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '0.0003', description: 'The platform fee inside amount.' })
  fee!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Reference of the ledger transaction that moved the money (null when nothing was due).',
  })
  ledger_reference!: string | null;
  @ApiPropertyOptional() message?: string;
  @ApiProperty({ nullable: true, type: String, example: 'ue_01jd8...', description: 'The stored usage event.' })
  usage_event!: string | null;
}

export class UsageEventResultsView {
  @ApiProperty({ type: [UsageEventResultView], description: 'One per event, in input order.' })
  results!: UsageEventResultView[];
}

export class UsageEventView {
  @ApiProperty({ example: 'ue_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['usage_event'] }) object!: 'usage_event';
  @ApiProperty({ nullable: true, type: String, example: '0.0123' }) amount!: string | null;
  @ApiProperty({ nullable: true, type: String }) authorization!: string | null;
  @ApiProperty({ nullable: true, type: String }) code!: string | null;
  @ApiProperty({ description: 'Unix seconds: when the platform received it.' }) created!: number;
  @ApiProperty({ nullable: true, type: String }) currency!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Your event id.' }) event_id!: string | null;
  @ApiProperty({ nullable: true, type: String }) fee!: string | null;
  @ApiProperty({ nullable: true, type: String }) ledger_reference!: string | null;
  @ApiProperty({ nullable: true, type: String }) mandate!: string | null;
  @ApiProperty({ nullable: true, type: String }) message!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, nullable: true })
  metadata!: Record<string, string> | null;
  @ApiProperty({ enum: ['accepted', 'rejected', 'conflict'] }) outcome!: 'accepted' | 'rejected' | 'conflict';
  @ApiProperty({ nullable: true, type: String }) payer!: string | null;
  @ApiProperty({ nullable: true, type: String }) price!: string | null;
  @ApiProperty({ nullable: true, type: String }) product!: string | null;
  @ApiProperty({ type: UsageQuantitiesView, nullable: true }) quantities!: UsageQuantitiesView | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Unix seconds (with fraction): when the usage happened.' })
  timestamp!: number | null;
}

export class UsageEventListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [UsageEventView] }) data!: UsageEventView[];
  @ApiProperty() has_more!: boolean;
}

export class ListUsageEventsQuery extends ListQuery {
  @ApiPropertyOptional({ description: 'Received at or after (unix seconds).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  created_gte?: number;

  @ApiPropertyOptional({ description: 'Received before (unix seconds).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  created_lt?: number;

  @ApiPropertyOptional({ example: 'mandate_01jd8...' })
  @IsOptional()
  @IsString()
  mandate?: string;

  @ApiPropertyOptional({ enum: ['accepted', 'rejected', 'conflict'], description: 'Default: every outcome.' })
  @IsOptional()
  @IsIn(['accepted', 'rejected', 'conflict'])
  outcome?: 'accepted' | 'rejected' | 'conflict';

  @ApiPropertyOptional({ example: 'prod_01jd8...' })
  @IsOptional()
  @IsString()
  product?: string;
}
