import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import { IsCurrencyCode } from '../../common/validation/is-currency-code.js';
import { IsMetadata } from '../../common/validation/is-string-map.js';
import type { AccountCapability } from '../account.entity.js';
import { ApiKeyWithSecretView } from './api-key.dto.js';

export class CreateAccountRequest {
  @ApiProperty({ example: ['receive'], enum: ['receive', 'pay'], isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(['receive', 'pay'], { each: true })
  capabilities!: AccountCapability[];

  @ApiProperty({ example: 'US', description: 'ISO 3166-1 alpha-2 country code.' })
  @Matches(/^[A-Z]{2}$/, { message: 'country must be a two-letter ISO 3166-1 code in upper case such as "US"' })
  country!: string;

  @ApiProperty({ example: 'usd' })
  @IsCurrencyCode()
  default_currency!: string;

  @ApiProperty({ example: 'dev@example.com' })
  @IsEmail()
  email!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsMetadata()
  metadata?: Record<string, string>;

  @ApiProperty({ example: 'Acme Models' })
  @IsString()
  @Length(1, 200)
  name!: string;
}

export class UpdateAccountRequest {
  @ApiPropertyOptional({ example: 'usd' })
  @IsOptional()
  @IsCurrencyCode()
  default_currency?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  email?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsMetadata()
  metadata?: Record<string, string>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;
}

export class RequirementsView {
  @ApiProperty({ type: [String], example: ['onboarding'] }) currently_due!: string[];
}

export class AccountView {
  @ApiProperty({ example: 'acct_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['account'] }) object!: 'account';
  @ApiProperty({ enum: ['receive', 'pay'], isArray: true }) capabilities!: AccountCapability[];
  @ApiProperty() charges_enabled!: boolean;
  @ApiProperty() country!: string;
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty() default_currency!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) metadata!: Record<string, string>;
  @ApiProperty() name!: string;
  @ApiProperty() payouts_enabled!: boolean;
  @ApiProperty({ enum: ['local', 'stripe'] }) provider!: string;
  @ApiProperty({ type: RequirementsView }) requirements!: RequirementsView;
  @ApiProperty({ enum: ['active', 'suspended'] }) status!: string;
  @ApiProperty({ enum: ['unverified', 'pending', 'verified', 'rejected'] }) verification_status!: string;
}

export class AdminAccountView extends AccountView {
  @ApiProperty({ nullable: true, type: Number, description: 'Platform fee override in basis points.' })
  fee_bps!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Fixed fee override, decimal string.' })
  fee_fixed!: string | null;
  @ApiProperty({ nullable: true, type: String }) provider_account_id!: string | null;
}

export class OnboardingLinkView {
  @ApiProperty({ enum: ['onboarding_link'] }) object!: 'onboarding_link';
  @ApiProperty({ type: AccountView }) account!: AccountView;
  @ApiProperty({ description: 'Unix seconds.' }) expires_at!: number;
  @ApiProperty() url!: string;
}

export class SignupView {
  @ApiProperty({ type: AccountView }) account!: AccountView;
  @ApiProperty({ type: ApiKeyWithSecretView, description: 'The first secret key, shown only here.' })
  api_key!: ApiKeyWithSecretView;
}

export class AccountListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [AdminAccountView] }) data!: AdminAccountView[];
  @ApiProperty() has_more!: boolean;
}
