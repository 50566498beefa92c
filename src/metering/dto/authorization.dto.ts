import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { IsCurrencyCode } from '../../common/validation/is-currency-code.js';
import { IsMetadata } from '../../common/validation/is-string-map.js';

export const MAX_AUTHORIZATION_SECONDS = 7 * 86_400;

export class CreateAuthorizationRequest {
  @ApiProperty({ example: '5.00', description: 'Decimal string, major units: the most usage may capture.' })
  @IsString()
  amount!: string;

  @ApiProperty({ example: 'usd' })
  @IsCurrencyCode()
  currency!: string;

  @ApiPropertyOptional({
    example: 3600,
    default: 3600,
    minimum: 1,
    maximum: MAX_AUTHORIZATION_SECONDS,
    description: 'Seconds until the hold expires and whatever was not captured returns to the wallet.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_AUTHORIZATION_SECONDS)
  expires_in?: number;

  @ApiProperty({ example: 'mandate_01jd8...' })
  @IsString()
  @Length(1, 100)
  mandate!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsMetadata()
  metadata?: Record<string, string>;
}

export class CaptureAuthorizationRequest {
  @ApiPropertyOptional({ example: '1.25', description: 'Decimal string; default: everything still held.' })
  @IsOptional()
  @IsString()
  amount?: string;

  @ApiPropertyOptional({
    default: true,
    description: 'true: release whatever stays held after this capture; false: keep holding it for more captures.',
  })
  @IsOptional()
  @IsBoolean()
  final?: boolean;
}

export class AuthorizationView {
  @ApiProperty({ example: 'authz_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['authorization'] }) object!: 'authorization';
  @ApiProperty({ example: '5.00', description: 'What was authorized (held).' }) amount!: string;
  @ApiProperty({ example: '1.25', description: 'Captured so far (gross).' }) amount_captured!: string;
  @ApiProperty({ example: '3.75', description: 'Still held and capturable.' }) amount_remaining!: string;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Unix seconds: captured for the last time, voided or expired.',
  })
  closed_at!: number | null;
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty({ nullable: true, type: String, example: 'insufficient_funds' }) decline_code!: string | null;
  @ApiProperty({ nullable: true, type: String }) decline_message!: string | null;
  @ApiProperty({ description: 'Unix seconds.' }) expires_at!: number;
  @ApiProperty({ example: '0.03', description: 'Platform fees taken from the captures.' }) fee_captured!: string;
  @ApiProperty({ example: 'mandate_01jd8...' }) mandate!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) metadata!: Record<string, string>;
  @ApiProperty({ nullable: true, type: String, example: 'acct_01jd8...' }) payer!: string | null;
  @ApiProperty({ enum: ['active', 'captured', 'voided', 'expired', 'declined'] }) status!: string;
}

export class AuthorizationListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [AuthorizationView] }) data!: AuthorizationView[];
  @ApiProperty() has_more!: boolean;
}
