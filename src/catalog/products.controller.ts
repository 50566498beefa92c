import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, RequireScopes } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { pageLimit } from '../common/pagination/pagination.js';
import { CatalogService } from './catalog.service.js';
import { CreateProductRequest, ListProductsQuery, ProductListView, ProductView } from './dto/product.dto.js';

@ApiTags('Catalog')
@Controller('v1/products')
@RequireScopes()
export class ProductsController {
  constructor(private readonly catalog: CatalogService) {}

  @Post()
  @ApiOperation({ summary: 'Create a product (a model, agent, tool or other usage-billed item)' })
  @ApiCreatedResponse({ type: ProductView })
  @ApiErrors(400, 403)
  create(@CurrentAccount() accountId: string, @Body() body: CreateProductRequest): Promise<ProductView> {
    return this.catalog.createProduct(accountId, body);
  }

  @Get()
  @ApiOperation({ summary: 'List products, newest first' })
  @ApiOkResponse({ type: ProductListView })
  @ApiErrors(400)
  list(@CurrentAccount() accountId: string, @Query() query: ListProductsQuery) {
    return this.catalog.listProducts(accountId, pageLimit(query), query.starting_after, query.active);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a product' })
  @ApiOkResponse({ type: ProductView })
  @ApiErrors(404)
  get(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<ProductView> {
    return this.catalog.getProduct(accountId, id);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Archive a product',
    description: 'An archived product takes no new prices and no usage timestamped after the archive time.',
  })
  @ApiOkResponse({ type: ProductView })
  @ApiErrors(403, 404)
  archive(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<ProductView> {
    return this.catalog.archiveProduct(accountId, id);
  }
}
