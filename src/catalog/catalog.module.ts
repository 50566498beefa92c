import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogService } from './catalog.service.js';
import { PriceBook } from './price-book.js';
import { Price } from './price.entity.js';
import { PricesController } from './prices.controller.js';
import { Product } from './product.entity.js';
import { ProductsController } from './products.controller.js';

/** Products and their immutable, versioned prices; PriceBook serves them to usage rating. */
@Module({
  imports: [TypeOrmModule.forFeature([Product, Price])],
  controllers: [ProductsController, PricesController],
  providers: [CatalogRepository, CatalogService, PriceBook],
  exports: [PriceBook],
})
export class CatalogModule {}
