import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, RequireScopes } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { pageLimit } from '../common/pagination/pagination.js';
import { CatalogService } from './catalog.service.js';
import { CreatePriceRequest, ListPricesQuery, PriceListView, PriceView } from './dto/price.dto.js';

@ApiTags('Catalog')
@Controller('v1/prices')
@RequireScopes()
export class PricesController {
  constructor(private readonly catalog: CatalogService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a price version',
    description:
      'Prices are immutable versions per product and currency. A new version supersedes the previous one from ' +
      'its effective_from. Token prices are per 1,000,000 tokens; per_call is per call.',
  })
  @ApiCreatedResponse({ type: PriceView })
  @ApiErrors(400, 403, 404)
  create(@CurrentAccount() accountId: string, @Body() body: CreatePriceRequest): Promise<PriceView> {
    return this.catalog.createPrice(accountId, body);
  }

  @Get()
  @ApiOperation({ summary: 'List price versions, newest first' })
  @ApiOkResponse({ type: PriceListView })
  @ApiErrors(400)
  list(@CurrentAccount() accountId: string, @Query() query: ListPricesQuery) {
    return this.catalog.listPrices(
      accountId,
      {
        productId: query.product,
        currency: query.currency,
        current: query.current === undefined ? undefined : query.current === 'true',
      },
      pageLimit(query),
      query.starting_after,
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a price version' })
  @ApiOkResponse({ type: PriceView })
  @ApiErrors(404)
  get(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<PriceView> {
    return this.catalog.getPrice(accountId, id);
  }
}
