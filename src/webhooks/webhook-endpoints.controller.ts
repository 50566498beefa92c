import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, RequireScopes } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { ListQuery, pageLimit } from '../common/pagination/pagination.js';
import {
  CreateWebhookEndpointRequest,
  DeletedWebhookEndpointView,
  ListDeliveryAttemptsQuery,
  RotateWebhookSecretRequest,
  UpdateWebhookEndpointRequest,
  WebhookDeliveryAttemptListView,
  WebhookEndpointListView,
  WebhookEndpointView,
  WebhookEndpointWithSecretView,
} from './dto/webhook-endpoint.dto.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';

@ApiTags('Webhook endpoints')
@Controller('v1/webhook_endpoints')
@RequireScopes()
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a webhook endpoint (its signing secret is shown once)',
    description:
      'Events are sent as JSON signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, ' +
      '`webhook-signature`) and retried with backoff for about three days; a 410 answer disables the endpoint.',
  })
  @ApiCreatedResponse({ type: WebhookEndpointWithSecretView })
  @ApiErrors(400, 403)
  create(
    @CurrentAccount() accountId: string,
    @Body() body: CreateWebhookEndpointRequest,
  ): Promise<WebhookEndpointWithSecretView> {
    return this.endpoints.create(accountId, body);
  }

  @Get()
  @ApiOperation({ summary: 'List webhook endpoints, newest first' })
  @ApiOkResponse({ type: WebhookEndpointListView })
  @ApiErrors(400)
  list(@CurrentAccount() accountId: string, @Query() query: ListQuery) {
    return this.endpoints.list(accountId, pageLimit(query), query.starting_after);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a webhook endpoint' })
  @ApiOkResponse({ type: WebhookEndpointView })
  @ApiErrors(404)
  get(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<WebhookEndpointView> {
    return this.endpoints.get(accountId, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Update a webhook endpoint: URL, events, description, enabled' })
  @ApiOkResponse({ type: WebhookEndpointView })
  @ApiErrors(400, 403, 404)
  update(
    @CurrentAccount() accountId: string,
    @Param('id') id: string,
    @Body() body: UpdateWebhookEndpointRequest,
  ): Promise<WebhookEndpointView> {
    return this.endpoints.update(accountId, id, body);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a webhook endpoint and its delivery history' })
  @ApiOkResponse({ type: DeletedWebhookEndpointView })
  @ApiErrors(403, 404)
  delete(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<DeletedWebhookEndpointView> {
    return this.endpoints.delete(accountId, id);
  }

  @Post(':id/rotate_secret')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Rotate the signing secret (the new one is shown once; the old one also signs during the overlap)',
  })
  @ApiCreatedResponse({ type: WebhookEndpointWithSecretView })
  @ApiErrors(400, 403, 404)
  rotateSecret(
    @CurrentAccount() accountId: string,
    @Param('id') id: string,
    @Body() body: RotateWebhookSecretRequest,
  ): Promise<WebhookEndpointWithSecretView> {
    return this.endpoints.rotateSecret(accountId, id, body.expires_in_hours ?? 24);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "List the endpoint's delivery attempts, newest first: status code, duration, error" })
  @ApiOkResponse({ type: WebhookDeliveryAttemptListView })
  @ApiErrors(400, 404)
  deliveries(@CurrentAccount() accountId: string, @Param('id') id: string, @Query() query: ListDeliveryAttemptsQuery) {
    return this.endpoints.listAttempts(accountId, id, pageLimit(query), query.starting_after, query.event);
  }
}
