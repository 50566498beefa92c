import { Injectable } from '@nestjs/common';
import { MoneyError, parseAmount } from '../../libs/money/src/index.js';
import { ApiError } from '../common/errors/api-error.js';
import { newId } from '../common/ids.js';
import { ListPage, toPage } from '../common/pagination/pagination.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { EventRecorder } from '../webhooks/event-recorder.js';
import { presentPrice, presentProduct } from './catalog.presenter.js';
import { CatalogRepository } from './catalog.repository.js';
import type { CreatePriceRequest, PriceView } from './dto/price.dto.js';
import type { CreateProductRequest, ProductView } from './dto/product.dto.js';
import { parseInstant } from './instant.js';
import { PriceBook } from './price-book.js';
import { Price } from './price.entity.js';
import { Product } from './product.entity.js';

/**
 * A later version may start a little in the past so that a client sending "now" with a slightly slow clock
 * is not refused; events reported in that window before the version existed keep their earlier rating.
 */
const BACKDATING_GRACE_MS = 60_000;

function parsePriceAmount(value: string | undefined, param: string): bigint | null {
  if (value === undefined) return null;
  try {
    return parseAmount(value);
  } catch (error) {
    if (error instanceof MoneyError) throw ApiError.badRequest(error.code, error.message, param);
    throw error;
  }
}

@Injectable()
export class CatalogService {
  constructor(
    private readonly repository: CatalogRepository,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
    private readonly priceBook: PriceBook,
  ) {}

  async createProduct(accountId: string, request: CreateProductRequest): Promise<ProductView> {
    return this.transactions.run(async (manager) => {
      const product = Object.assign(new Product(), {
        id: newId('prod'),
        accountId,
        name: request.name,
        kind: request.kind,
        metadata: request.metadata ?? {},
        priceVersions: 0,
        archivedAt: null,
        createdAt: new Date(),
      } satisfies Product);
      await this.repository.insertProduct(manager, product);
      const view = presentProduct(product);
      await this.events.record(manager, { accountId, type: 'product.created', object: view });
      return view;
    });
  }

  async listProducts(
    accountId: string,
    limit: number,
    startingAfter?: string,
    active?: boolean,
  ): Promise<ListPage<ProductView>> {
    return toPage(await this.repository.listProducts(accountId, limit, startingAfter, active), limit, presentProduct);
  }

  async getProduct(accountId: string, id: string): Promise<ProductView> {
    const product = await this.repository.findProduct(accountId, id);
    if (!product) throw ApiError.notFound('product', id);
    return presentProduct(product);
  }

  /** Archived products take no new prices and no usage after the archive time; archiving twice is a no-op. */
  async archiveProduct(accountId: string, id: string): Promise<ProductView> {
    return this.transactions.run(async (manager) => {
      const product = await this.repository.lockProduct(manager, accountId, id);
      if (!product) throw ApiError.notFound('product', id);
      if (product.archivedAt) return presentProduct(product);
      await this.repository.archiveProduct(manager, product, new Date());
      const view = presentProduct(product);
      await this.events.record(manager, { accountId, type: 'product.archived', object: view });
      return view;
    });
  }

  async createPrice(accountId: string, request: CreatePriceRequest): Promise<PriceView> {
    const tokens = request.per_million_tokens ?? {};
    const price = Object.assign(new Price(), {
      id: newId('price'),
      accountId,
      productId: request.product,
      currency: request.currency,
      inputPerMillion: parsePriceAmount(tokens.input, 'per_million_tokens.input'),
      outputPerMillion: parsePriceAmount(tokens.output, 'per_million_tokens.output'),
      cachedInputPerMillion: parsePriceAmount(tokens.cached_input, 'per_million_tokens.cached_input'),
      cacheWritePerMillion: parsePriceAmount(tokens.cache_write, 'per_million_tokens.cache_write'),
      reasoningPerMillion: parsePriceAmount(tokens.reasoning, 'per_million_tokens.reasoning'),
      perCall: parsePriceAmount(request.per_call, 'per_call'),
      minimumPerEvent: parsePriceAmount(request.minimum_per_event, 'minimum_per_event') ?? 0n,
      effectiveFrom: new Date(),
      metadata: request.metadata ?? {},
      createdAt: new Date(),
    } satisfies Price);
    const pricesSomething = [
      price.inputPerMillion,
      price.outputPerMillion,
      price.cachedInputPerMillion,
      price.cacheWritePerMillion,
      price.reasoningPerMillion,
      price.perCall,
    ].some((amount) => amount !== null);
    if (!pricesSomething) {
      throw ApiError.badRequest(
        'price_empty',
        'A price must price at least one quantity: a per_million_tokens class or per_call.',
      );
    }
    if (request.effective_from !== undefined) {
      const effectiveFrom = parseInstant(request.effective_from);
      if (!effectiveFrom) {
        throw ApiError.badRequest('invalid_timestamp', 'effective_from is not a valid instant.', 'effective_from');
      }
      price.effectiveFrom = effectiveFrom;
    }

    const view = await this.transactions.run(async (manager) => {
      const product = await this.repository.lockProduct(manager, accountId, request.product);
      if (!product) throw ApiError.notFound('product', request.product, 'product');
      if (product.archivedAt) {
        throw ApiError.badRequest('product_archived', `Product ${product.id} is archived: it takes no new prices.`);
      }
      const current = await this.repository.latestPrice(manager, product.id, price.currency);
      if (current) {
        if (price.effectiveFrom.getTime() <= current.effectiveFrom.getTime()) {
          throw ApiError.badRequest(
            'effective_from_too_early',
            `effective_from must be after the start of the latest version ${current.id} ` +
              `(${current.effectiveFrom.toISOString()}).`,
            'effective_from',
          );
        }
        if (price.effectiveFrom.getTime() < price.createdAt.getTime() - BACKDATING_GRACE_MS) {
          throw ApiError.badRequest(
            'effective_from_in_past',
            'A new version may not start in the past: usage already rated with the current version would be ' +
              'rated differently. Omit effective_from to start now.',
            'effective_from',
          );
        }
      }
      await this.repository.insertPrice(manager, price);
      const created = presentPrice(price, null);
      await this.events.record(manager, { accountId, type: 'price.created', object: created });
      return created;
    });
    this.priceBook.forgetProduct(price.productId);
    return view;
  }

  async listPrices(
    accountId: string,
    filter: { productId?: string; currency?: string; current?: boolean },
    limit: number,
    startingAfter?: string,
  ): Promise<ListPage<PriceView>> {
    const rows = await this.repository.listPrices(accountId, { ...filter, now: new Date() }, limit, startingAfter);
    return toPage(rows, limit, ({ price, effectiveUntil }) => presentPrice(price, effectiveUntil));
  }

  async getPrice(accountId: string, id: string): Promise<PriceView> {
    const found = await this.repository.findPrice(accountId, id);
    if (!found) throw ApiError.notFound('price', id);
    return presentPrice(found.price, found.effectiveUntil);
  }
}
