import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { ListQuery } from '../../common/pagination/pagination.js';
import { EVENT_TYPE_FILTER_PATTERN } from '../event-type-filter.js';

const ENABLED_EVENTS_DESCRIPTION =
  'Event types to send: exact types (`account.updated`), families (`payout.*`) or `["*"]` for every event.';
const EVENT_TYPE_MESSAGE = 'each value in enabled_events must be an event type, a family such as "payout.*", or "*"';

export class CreateWebhookEndpointRequest {
  @ApiPropertyOptional({ example: 'Production receiver', maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  description?: string;

  @ApiProperty({ example: ['*'], isArray: true, type: String, description: ENABLED_EVENTS_DESCRIPTION })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @Matches(EVENT_TYPE_FILTER_PATTERN, { each: true, message: EVENT_TYPE_MESSAGE })
  enabled_events!: string[];

  @ApiProperty({
    example: 'https://hooks.example.com/ai-receive',
    description: 'http or https; loopback, private, link-local and metadata addresses are refused.',
  })
  @IsString()
  @Length(1, 2048)
  url!: string;
}

export class UpdateWebhookEndpointRequest {
  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 500 })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsString()
  @Length(0, 500)
  description?: string | null;

  @ApiPropertyOptional({ description: 'false stops deliveries; true resumes them (also after a 410 disabled it).' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ isArray: true, type: String, description: ENABLED_EVENTS_DESCRIPTION })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @Matches(EVENT_TYPE_FILTER_PATTERN, { each: true, message: EVENT_TYPE_MESSAGE })
  enabled_events?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 2048)
  url?: string;
}

export class RotateWebhookSecretRequest {
  @ApiPropertyOptional({
    description:
      'How long deliveries stay signed with the old secret too, in hours (0 = stop now, at most 168 = 7 days).',
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

export class ListDeliveryAttemptsQuery extends ListQuery {
  @ApiPropertyOptional({ description: 'Only the attempts for this event.', example: 'evt_01jd8...' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  event?: string;
}

export class WebhookEndpointView {
  @ApiProperty({ example: 'we_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['webhook_endpoint'] }) object!: 'webhook_endpoint';
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    enum: ['manual', 'endpoint_gone'],
    description: '`endpoint_gone`: the endpoint answered 410 Gone.',
  })
  disabled_reason!: string | null;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ isArray: true, type: String, example: ['*'] }) enabled_events!: string[];
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Unix seconds until which deliveries are also signed with the previous secret.',
  })
  previous_secret_expires_at!: number | null;
  @ApiProperty() url!: string;
}

export class WebhookEndpointWithSecretView extends WebhookEndpointView {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The Standard Webhooks signing secret. Shown only in this response; store it now.',
  })
  secret!: string;
}

export class WebhookEndpointListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [WebhookEndpointView] }) data!: WebhookEndpointView[];
  @ApiProperty() has_more!: boolean;
}

export class DeletedWebhookEndpointView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['webhook_endpoint'] }) object!: 'webhook_endpoint';
  @ApiProperty({ enum: [true] }) deleted!: true;
}

export class WebhookDeliveryView {
  @ApiProperty({ example: 'whdel_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['webhook_delivery'] }) object!: 'webhook_delivery';
  @ApiProperty({ description: 'Attempts made so far.' }) attempts!: number;
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty() endpoint!: string;
  @ApiProperty() event!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Unix seconds of the next retry, if one is scheduled.' })
  next_attempt_at!: number | null;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed', 'canceled'] }) status!: string;
  @ApiProperty({ enum: ['event', 'redeliver'] }) trigger!: string;
}

export class WebhookDeliveryAttemptView {
  @ApiProperty({ example: 'whatt_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['webhook_delivery_attempt'] }) object!: 'webhook_delivery_attempt';
  @ApiProperty({ description: 'Attempt number within its delivery, from 1.' }) attempt!: number;
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty() delivery!: string;
  @ApiProperty({ description: 'Milliseconds from sending to the response (or the failure).' }) duration_ms!: number;
  @ApiProperty() endpoint!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why the attempt failed without a usable response (timeout, connection, refused address, redirect).',
  })
  error!: string | null;
  @ApiProperty() event!: string;
  @ApiProperty() event_type!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'The HTTP status the endpoint answered, if any.' })
  status_code!: number | null;
  @ApiProperty({ description: 'Whether the endpoint answered 2xx.' }) succeeded!: boolean;
  @ApiProperty({ description: 'The URL the attempt was sent to.' }) url!: string;
}

export class WebhookDeliveryAttemptListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [WebhookDeliveryAttemptView] }) data!: WebhookDeliveryAttemptView[];
  @ApiProperty() has_more!: boolean;
}

export class ProviderEventReceiptView {
  @ApiProperty({ example: 'evt_1Q...' }) id!: string;
  @ApiProperty({ enum: ['provider_event_receipt'] }) object!: 'provider_event_receipt';
  @ApiProperty({ description: 'True when this event id was received before (it is stored and applied once).' })
  duplicate!: boolean;
}
