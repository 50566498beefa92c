import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { BenefitType } from '../incentive-benefit.entity.js';
import { ListQuery } from '../../common/pagination/pagination.js';

export class BenefitListQuery extends ListQuery {
  @ApiPropertyOptional({ description: 'Only benefits of this program (prog_…).' })
  @IsOptional()
  @IsString()
  program?: string;
}

export class BenefitSourceView {
  @ApiProperty({ example: 'pay_01jd8...' }) id!: string;
  @ApiProperty({ example: 'payment', description: 'usage_event, payment or incentive_enrollment.' }) type!: string;
}

export class BenefitView {
  @ApiProperty({ example: 'ben_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['incentive_benefit'] }) object!: 'incentive_benefit';
  @ApiProperty({ example: 'acct_01jd8...', description: 'The beneficiary.' }) account!: string;
  @ApiProperty({ example: '0.015000000', description: 'Paid from the budget.' }) amount!: string;
  @ApiProperty({ description: 'Unix seconds: when the ledger booked it.' }) created!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ example: 'ltx_01jd8...' }) ledger_transaction!: string;
  @ApiProperty({ description: 'Unix seconds: when its cause (usage event, payment) happened.' }) occurred_at!: number;
  @ApiProperty({ example: 'prog_01jd8...' }) program!: string;
  @ApiProperty({
    example: '0.015000000',
    description: 'What the terms promised before the budget or the monthly cap cut it.',
  })
  requested!: string;
  @ApiProperty({ example: '0', description: 'Given back to the budget by refunds of the source.' }) returned!: string;
  @ApiProperty({ type: BenefitSourceView }) source!: BenefitSourceView;
  @ApiProperty({ enum: ['token_subsidy', 'fee_rebate', 'signup_credit'] }) type!: BenefitType;
}

export class BenefitListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [BenefitView] }) data!: BenefitView[];
  @ApiProperty() has_more!: boolean;
}
