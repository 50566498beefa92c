import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class ReportQuery {
  @ApiPropertyOptional({ example: '2025-06-01', description: 'First UTC day included (default: the beginning).' })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date such as "2025-06-01"' })
  from?: string;

  @ApiPropertyOptional({ enum: ['day', 'account'], default: 'day' })
  @IsOptional()
  @IsIn(['day', 'account'])
  group_by?: 'day' | 'account';

  @ApiPropertyOptional({ example: '2025-06-30', description: 'Last UTC day included (default: today).' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date such as "2025-06-30"' })
  to?: string;
}

export class ReportRowView {
  @ApiPropertyOptional({ example: 'acct_01jd8...', description: 'group_by=account.' }) account?: string;
  @ApiProperty({ description: 'How many benefits were booked.' }) benefits!: number;
  @ApiPropertyOptional({ example: '2025-06-01', description: 'group_by=day: the UTC booking day.' }) day?: string;
  @ApiProperty({ example: '12.500000000', description: 'Paid from the budget.' }) granted!: string;
  @ApiProperty({ example: '0.250000000', description: 'Given back to the budget by refunds.' }) returned!: string;
  @ApiProperty({ example: '12.250000000', description: 'granted − returned.' }) spent!: string;
}

export class ReportView {
  @ApiProperty({ enum: ['incentive_program_report'] }) object!: 'incentive_program_report';
  @ApiProperty({ description: 'Distinct accounts with a benefit booked in the period.' }) beneficiaries!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ type: String, nullable: true, example: '2025-06-01' }) from!: string | null;
  @ApiProperty({ example: '1000.00', description: 'Funded in the period.' }) funded!: string;
  @ApiProperty({ enum: ['day', 'account'] }) group_by!: 'day' | 'account';
  @ApiProperty({ example: 'prog_01jd8...' }) program!: string;
  @ApiProperty({
    example: '987.750000000',
    description: 'Budget left at the end of the period: equals the ledger budget balance at that time.',
  })
  remaining!: string;
  @ApiProperty({ type: [ReportRowView] }) rows!: ReportRowView[];
  @ApiProperty({ example: '12.250000000', description: 'Benefits paid in the period, net of returns.' }) spent!: string;
  @ApiProperty({ example: '2025-06-30' }) to!: string;
  @ApiProperty({ example: '0', description: 'Withdrawn in the period.' }) withdrawn!: string;
}
