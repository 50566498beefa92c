import { Body, Controller, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentAccount, RequireScopes } from '../common/auth/auth.decorators.js';
import { requestIdOf } from '../common/http/request-id.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { pageLimit } from '../common/pagination/pagination.js';
import {
  ListUsageEventsQuery,
  UsageEventBatchInput,
  UsageEventInput,
  UsageEventListView,
  UsageEventResultsView,
} from './dto/usage-event.dto.js';
import { UsageSummaryQuery, UsageSummaryView } from './dto/usage-summary.dto.js';
import { UsageReportsService } from './reports/usage-reports.service.js';
import { RecordUsageService } from './use-cases/record-usage/record-usage.service.js';

@ApiTags('Token Pay')
@Controller('v1')
@RequireScopes('usage:write')
export class UsageEventsController {
  constructor(
    private readonly recordUsage: RecordUsageService,
    private readonly reports: UsageReportsService,
  ) {}

  @Post('usage_events')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Report usage: one event or {"events": [...]} of up to 1,000',
    description:
      'Each event is deduplicated by its id, rated with the price version in force at its timestamp and charged ' +
      'to the payer’s wallet under its mandate, in real time. The answer has one result per event in input ' +
      'order; a bad event is rejected on its own and never fails the others.',
  })
  @ApiExtraModels(UsageEventInput, UsageEventBatchInput)
  @ApiBody({
    schema: { oneOf: [{ $ref: getSchemaPath(UsageEventInput) }, { $ref: getSchemaPath(UsageEventBatchInput) }] },
  })
  @ApiOkResponse({ type: UsageEventResultsView })
  @ApiErrors(400, 403, 413)
  record(
    @CurrentAccount() accountId: string,
    @Body() body: unknown,
    @Req() request: Request,
  ): Promise<UsageEventResultsView> {
    return this.recordUsage.record(accountId, body, { requestId: requestIdOf(request) });
  }

  @Get('usage_events')
  @ApiOperation({ summary: 'List usage events you reported, accepted and refused, newest first' })
  @ApiOkResponse({ type: UsageEventListView })
  @ApiErrors(400)
  list(@CurrentAccount() accountId: string, @Query() query: ListUsageEventsQuery) {
    return this.reports.list(accountId, query, pageLimit(query));
  }

  @Get('usage/summary')
  @ApiOperation({
    summary: 'Summarise accepted usage by product, price, token class, payer or day',
    description: 'Quantities and amounts of the usage timestamped in [from, to); totals equal the ledger.',
  })
  @ApiOkResponse({ type: UsageSummaryView })
  @ApiErrors(400)
  summary(@CurrentAccount() accountId: string, @Query() query: UsageSummaryQuery): Promise<UsageSummaryView> {
    return this.reports.summary(accountId, query);
  }
}
