import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';
import { API_KEY_SCOPES, ApiKeyScope } from '../../common/auth/principal.js';

export class CreateApiKeyRequest {
  @ApiProperty({ example: 'usage reporter' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ enum: API_KEY_SCOPES, isArray: true, default: ['full'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(API_KEY_SCOPES, { each: true })
  scopes?: ApiKeyScope[];
}

export class RollApiKeyRequest {
  @ApiPropertyOptional({
    description: 'How long the old secret keeps working, in hours (0 = stop now, at most 168 = 7 days).',
    default: 24,
    minimum: 0,
    maximum: 168,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(168)
  expires_in_hours?: number;
}

export class ApiKeyView {
  @ApiProperty({ example: 'key_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['api_key'] }) object!: 'api_key';
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Unix seconds after which the key stops working.' })
  expires_at!: number | null;
  @ApiProperty() last4!: string;
  @ApiProperty() livemode!: boolean;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'air_sk_test_' }) prefix!: string;
  @ApiProperty({ description: 'Whether the key was revoked.' }) revoked!: boolean;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true }) scopes!: ApiKeyScope[];
}

export class ApiKeyWithSecretView extends ApiKeyView {
  @ApiProperty({ description: 'The secret key. Shown only in this response; store it now.' }) secret!: string;
}

export class ApiKeyListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [ApiKeyView] }) data!: ApiKeyView[];
  @ApiProperty() has_more!: boolean;
}
