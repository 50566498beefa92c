import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { IsCurrencyCode } from '../../common/validation/is-currency-code.js';

export class BalanceStatementQuery {
  @ApiPropertyOptional({ example: 'usd', description: "Defaults to the account's default currency." })
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;

  @ApiProperty({ example: '2025-03-01', description: 'Start of the statement (ISO 8601, inclusive).' })
  @IsISO8601({ strict: true })
  from!: string;

  @ApiProperty({ example: '2025-04-01', description: 'End of the statement (ISO 8601, exclusive).' })
  @IsISO8601({ strict: true })
  to!: string;
}
