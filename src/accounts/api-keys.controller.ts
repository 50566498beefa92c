import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, RequireScopes } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { ListQuery, pageLimit } from '../common/pagination/pagination.js';
import { ApiKeysService } from './api-keys.service.js';
import {
  ApiKeyListView,
  ApiKeyView,
  ApiKeyWithSecretView,
  CreateApiKeyRequest,
  RollApiKeyRequest,
} from './dto/api-key.dto.js';

@ApiTags('API keys')
@Controller('v1/api_keys')
@RequireScopes()
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create a secret key (shown once)' })
  @ApiCreatedResponse({ type: ApiKeyWithSecretView })
  @ApiErrors(400, 403)
  create(@CurrentAccount() accountId: string, @Body() body: CreateApiKeyRequest): Promise<ApiKeyWithSecretView> {
    return this.apiKeys.create(accountId, body.name, body.scopes ?? ['full']);
  }

  @Get()
  @ApiOperation({ summary: 'List secret keys (never the secrets: prefix and last four only)' })
  @ApiOkResponse({ type: ApiKeyListView })
  @ApiErrors(400)
  list(@CurrentAccount() accountId: string, @Query() query: ListQuery) {
    return this.apiKeys.list(accountId, pageLimit(query), query.starting_after);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke a secret key at once' })
  @ApiOkResponse({ type: ApiKeyView })
  @ApiErrors(403, 404)
  revoke(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<ApiKeyView> {
    return this.apiKeys.revoke(accountId, id);
  }

  @Post(':id/roll')
  @HttpCode(201)
  @ApiOperation({ summary: 'Roll a secret key: a new secret now, the old one expires after the overlap (≤ 7 days)' })
  @ApiCreatedResponse({ type: ApiKeyWithSecretView })
  @ApiErrors(400, 403, 404)
  roll(
    @CurrentAccount() accountId: string,
    @Param('id') id: string,
    @Body() body: RollApiKeyRequest,
  ): Promise<ApiKeyWithSecretView> {
    return this.apiKeys.roll(accountId, id, body.expires_in_hours ?? 24);
  }
}
