import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { ListQuery } from '../../common/pagination/pagination.js';
import { EVENT_TYPE_FILTER_PATTERN } from '../event-type-filter.js';
import { WebhookDeliveryView } from './webhook-endpoint.dto.js';

export class ListEventsQuery extends ListQuery {
  @ApiPropertyOptional({ description: 'An event type, or a family such as `account.*`.', example: 'account.updated' })
  @IsOptional()
  @Matches(EVENT_TYPE_FILTER_PATTERN, {
    message: 'type must be an event type such as "account.updated" or "account.*"',
  })
  type?: string;
}

export class RedeliverEventRequest {
  @ApiPropertyOptional({
    description:
      'Send to this endpoint only (even if it does not subscribe to the type); by default, to every ' +
      'enabled endpoint that subscribes to it.',
    example: 'we_01jd8...',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  endpoint?: string;
}

export class EventDataView {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The object as it was right after the change, in its API representation.',
  })
  object!: object;
}

export class EventView {
  @ApiProperty({ example: 'evt_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['event'] }) object!: 'event';
  @ApiProperty({ description: 'The account the event belongs to.' }) account!: string;
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty({ type: EventDataView }) data!: EventDataView;
  @ApiProperty({ nullable: true, type: String, description: 'The API request that caused the change, if any.' })
  request_id!: string | null;
  @ApiProperty({ example: 'account.updated' }) type!: string;
}

export class EventListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [EventView] }) data!: EventView[];
  @ApiProperty() has_more!: boolean;
}

export class RedeliveryListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [WebhookDeliveryView], description: 'The deliveries just scheduled, one per endpoint.' })
  data!: WebhookDeliveryView[];
  @ApiProperty() has_more!: boolean;
}
