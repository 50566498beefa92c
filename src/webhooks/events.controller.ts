import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, RequireScopes } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { pageLimit } from '../common/pagination/pagination.js';
import {
  EventListView,
  EventView,
  ListEventsQuery,
  RedeliverEventRequest,
  RedeliveryListView,
} from './dto/event.dto.js';
import { EventsService } from './events.service.js';

@ApiTags('Events')
@Controller('v1/events')
@RequireScopes()
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get()
  @ApiOperation({ summary: 'List events, newest first (every state change of the account writes one)' })
  @ApiOkResponse({ type: EventListView })
  @ApiErrors(400)
  list(@CurrentAccount() accountId: string, @Query() query: ListEventsQuery) {
    return this.events.list(accountId, pageLimit(query), query.starting_after, query.type);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve an event with the object as it was right after the change' })
  @ApiOkResponse({ type: EventView })
  @ApiErrors(404)
  get(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<EventView> {
    return this.events.get(accountId, id);
  }

  @Post(':id/redeliver')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send an event again, once, to one endpoint or to every enabled endpoint subscribed to its type',
  })
  @ApiAcceptedResponse({ type: RedeliveryListView })
  @ApiErrors(400, 403, 404, 409)
  redeliver(
    @CurrentAccount() accountId: string,
    @Param('id') id: string,
    @Body() body: RedeliverEventRequest,
  ): Promise<RedeliveryListView> {
    return this.events.redeliver(accountId, id, body.endpoint);
  }
}
