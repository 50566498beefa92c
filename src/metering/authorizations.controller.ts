import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, RequireScopes } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { ListQuery, pageLimit } from '../common/pagination/pagination.js';
import {
  AuthorizationListView,
  AuthorizationView,
  CaptureAuthorizationRequest,
  CreateAuthorizationRequest,
} from './dto/authorization.dto.js';
import { AuthorizationsService } from './use-cases/settle-authorization/authorizations.service.js';

@ApiTags('Token Pay')
@Controller('v1/authorizations')
@RequireScopes('usage:write')
export class AuthorizationsController {
  constructor(private readonly authorizations: AuthorizationsService) {}

  @Post()
  @ApiOperation({
    summary: 'Authorize up to an amount: hold it on the payer’s wallet under the mandate',
    description:
      'The outcome is in `status`: `active` (held; counts against the mandate until captured, voided or ' +
      'expired) or `declined` with a `decline_code` (nothing held).',
  })
  @ApiCreatedResponse({ type: AuthorizationView })
  @ApiErrors(400, 403, 404)
  create(@CurrentAccount() accountId: string, @Body() body: CreateAuthorizationRequest): Promise<AuthorizationView> {
    return this.authorizations.create(accountId, body);
  }

  @Get()
  @ApiOperation({ summary: 'List authorizations, newest first' })
  @ApiOkResponse({ type: AuthorizationListView })
  @ApiErrors(400)
  list(@CurrentAccount() accountId: string, @Query() query: ListQuery) {
    return this.authorizations.list(accountId, pageLimit(query), query.starting_after);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve an authorization' })
  @ApiOkResponse({ type: AuthorizationView })
  @ApiErrors(404)
  get(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<AuthorizationView> {
    return this.authorizations.get(accountId, id);
  }

  @Post(':id/capture')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Capture from an authorization',
    description:
      'Captures `amount` (default: everything still held). With `final` (the default) the rest returns to the ' +
      'wallet; with `final: false` it stays held for further captures. Never more than what is held.',
  })
  @ApiOkResponse({ type: AuthorizationView })
  @ApiErrors(400, 403, 404, 409)
  capture(
    @CurrentAccount() accountId: string,
    @Param('id') id: string,
    @Body() body: CaptureAuthorizationRequest,
  ): Promise<AuthorizationView> {
    return this.authorizations.capture(accountId, id, body);
  }

  @Post(':id/void')
  @HttpCode(200)
  @ApiOperation({ summary: 'Void an authorization: whatever is still held returns to the wallet' })
  @ApiOkResponse({ type: AuthorizationView })
  @ApiErrors(403, 404, 409)
  void(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<AuthorizationView> {
    return this.authorizations.void(accountId, id);
  }
}
