import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, RequireScopes } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { pageLimit } from '../common/pagination/pagination.js';
import { CreateMandateRequest, MandateListQuery, MandateListView, MandateView } from './dto/mandate.dto.js';
import { MandatesService } from './mandates.service.js';

@ApiTags('Mandates')
@Controller('v1/mandates')
@RequireScopes()
export class MandatesController {
  constructor(private readonly mandates: MandatesService) {}

  @Post()
  @ApiOperation({
    summary: 'Grant a spending mandate to payees (payer)',
    description:
      'Limits are optional; amounts are decimal strings in the mandate currency. Payments above ' +
      '`confirmation_threshold` wait for you to confirm them.',
  })
  @ApiCreatedResponse({ type: MandateView })
  @ApiErrors(400, 403, 404)
  create(@CurrentAccount() accountId: string, @Body() body: CreateMandateRequest): Promise<MandateView> {
    return this.mandates.create(accountId, body);
  }

  @Get()
  @ApiOperation({ summary: 'List mandates you granted or that were granted to you' })
  @ApiOkResponse({ type: MandateListView })
  @ApiErrors(400)
  list(@CurrentAccount() accountId: string, @Query() query: MandateListQuery) {
    return this.mandates.list(accountId, query.role, pageLimit(query), query.starting_after);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a mandate with what it has spent today and in total' })
  @ApiOkResponse({ type: MandateView })
  @ApiErrors(404)
  get(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<MandateView> {
    return this.mandates.get(accountId, id);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a mandate at once (payer): every later payment is declined' })
  @ApiOkResponse({ type: MandateView })
  @ApiErrors(404)
  revoke(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<MandateView> {
    return this.mandates.revoke(accountId, id);
  }
}
