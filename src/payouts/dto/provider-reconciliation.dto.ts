import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { ListQuery } from '../../common/pagination/pagination.js';

export class CreateReconciliationRunRequest {
  @ApiProperty({ example: '2025-03-01', description: 'Start of the period (ISO 8601, inclusive).' })
  @IsISO8601({ strict: true })
  from!: string;

  @ApiPropertyOptional({
    description:
      'Local rail: the bank statement file (the CSV of GET /v1/admin/local_rail/statement.csv) to import. ' +
      'Without it, the statement is fetched from the rail (local bank, or Stripe balance records per payout).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(50_000_000)
  statement_csv?: string;

  @ApiProperty({ example: '2025-04-01', description: 'End of the period (ISO 8601, exclusive).' })
  @IsISO8601({ strict: true })
  to!: string;
}

export class StatementQuery {
  @ApiProperty({ example: '2025-03-01' })
  @IsISO8601({ strict: true })
  from!: string;

  @ApiProperty({ example: '2025-04-01' })
  @IsISO8601({ strict: true })
  to!: string;
}

export class ReconciliationExceptionListQuery extends ListQuery {
  @ApiPropertyOptional({ enum: ['open', 'resolved'] })
  @IsOptional()
  @IsIn(['open', 'resolved'])
  status?: 'open' | 'resolved';
}

export class ResolveReconciliationExceptionRequest {
  @ApiProperty({ example: 'Bank fee charged on the return; booked as an adjustment.' })
  @IsString()
  @Length(1, 1000)
  note!: string;
}

export class ReconciliationExceptionView {
  @ApiProperty({ example: 'rex_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['reconciliation_exception'] }) object!: 'reconciliation_exception';
  @ApiProperty({ nullable: true, type: String }) account!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'What the rail reported (decimal string).' })
  actual_amount!: string | null;
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty({ nullable: true, type: String }) currency!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'What the ledger says (decimal string).' })
  expected_amount!: string | null;
  @ApiProperty({ enum: ['unmatched_provider_line', 'unmatched_ledger_line', 'amount_mismatch'] }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) ledger_reference!: string | null;
  @ApiProperty({ example: 'payout', description: 'payout, payout_return, transfer, transfer_reversal or other.' })
  line_type!: string;
  @ApiProperty({ nullable: true, type: String }) payout!: string | null;
  @ApiProperty({ nullable: true, type: String }) provider_reference!: string | null;
  @ApiProperty({ nullable: true, type: String }) resolution_note!: string | null;
  @ApiProperty({ nullable: true, type: Number }) resolved_at!: number | null;
  @ApiProperty({ example: 'recon_01jd8...' }) run!: string;
  @ApiProperty({ enum: ['open', 'resolved'] }) status!: string;
}

export class ReconciliationExceptionListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [ReconciliationExceptionView] }) data!: ReconciliationExceptionView[];
  @ApiProperty() has_more!: boolean;
}

export class ReconciliationRunView {
  @ApiProperty({ example: 'recon_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['reconciliation_run'] }) object!: 'reconciliation_run';
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty({ type: [ReconciliationExceptionView], description: 'Exceptions this run found for the first time.' })
  exceptions!: ReconciliationExceptionView[];
  @ApiProperty({ description: 'Exceptions found, including ones already recorded by earlier runs.' })
  exceptions_found!: number;
  @ApiProperty({ description: 'Lines the ledger expects the rail to show.' }) ledger_lines!: number;
  @ApiProperty() matched!: number;
  @ApiProperty({ description: 'Unix seconds.' }) period_end!: number;
  @ApiProperty({ description: 'Unix seconds.' }) period_start!: number;
  @ApiProperty({ enum: ['local', 'stripe'] }) provider!: string;
  @ApiProperty({ description: 'Lines the rail reported.' }) provider_lines!: number;
  @ApiProperty({ enum: ['provider_api', 'statement_file'] }) source!: string;
}
