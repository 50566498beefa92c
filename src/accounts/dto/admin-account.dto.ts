import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min, ValidateIf } from 'class-validator';

export class UpdateAccountFeesRequest {
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Fee rate in basis points; null restores the default.',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(0)
  @Max(10000)
  fee_bps?: number | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: '0.30',
    description: 'Fixed fee per payment; null restores the default.',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(/^\d+(\.\d{1,9})?$/, { message: 'fee_fixed must be a non-negative decimal string with at most 9 decimals' })
  fee_fixed?: string | null;
}
