import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { UsageQuantitiesView } from './usage-event.dto.js';

export const SUMMARY_GROUPS = ['product', 'price', 'token_class', 'payer', 'day'] as const;
export type SummaryGroup = (typeof SUMMARY_GROUPS)[number];

export class UsageSummaryQuery {
  @ApiPropertyOptional({
    description: 'Unix seconds, inclusive, of the usage timestamp. Default: the start of the current UTC month.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  from?: number;

  @ApiPropertyOptional({ enum: SUMMARY_GROUPS, default: 'product' })
  @IsOptional()
  @IsIn(SUMMARY_GROUPS)
  group_by?: SummaryGroup;

  @ApiPropertyOptional({ description: 'Unix seconds, exclusive, of the usage timestamp. Default: now.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  to?: number;
}

export class UsageSummaryLineView {
  @ApiProperty({ example: '1.2345', description: 'Charged to payers (gross), exact to the nano.' }) amount!: string;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty({ description: 'Accepted events in the line (for token_class: events reporting that class).' })
  events!: number;
  @ApiProperty({ example: '0.0309', description: 'Platform fees.' }) fee!: string;
  @ApiProperty({
    example: 'prod_01jd8...',
    description: 'The product, price, token class, payer account or UTC day (YYYY-MM-DD) of the line.',
  })
  key!: string;
  @ApiProperty({ example: '1.2036', description: 'amount − fee: what reached your pending balance.' }) net!: string;
  @ApiProperty({ type: UsageQuantitiesView }) quantities!: UsageQuantitiesView;
}

export class UsageSummaryTotalView {
  @ApiProperty() amount!: string;
  @ApiProperty() currency!: string;
  @ApiProperty() events!: number;
  @ApiProperty() fee!: string;
  @ApiProperty() net!: string;
}

export class UsageSummaryView {
  @ApiProperty({ enum: ['usage_summary'] }) object!: 'usage_summary';
  @ApiProperty({ type: [UsageSummaryLineView] }) data!: UsageSummaryLineView[];
  @ApiProperty({ description: 'Unix seconds.' }) from!: number;
  @ApiProperty({
    enum: SUMMARY_GROUPS,
    description:
      'token_class lines split each currency’s amount and fee over the classes in proportion to their exact ' +
      'cost (largest remainder), so they add up to the totals to the nano; per-call cost is the `calls` class.',
  })
  group_by!: SummaryGroup;
  @ApiProperty({ description: 'Unix seconds.' }) to!: number;
  @ApiProperty({ type: [UsageSummaryTotalView], description: 'Per currency; equal to the ledger’s usage charges.' })
  totals!: UsageSummaryTotalView[];
}
