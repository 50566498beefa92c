import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, LessThan, Not, Repository } from 'typeorm';
import type { FindOptionsWhere } from 'typeorm';
import { Price } from './price.entity.js';
import { Product } from './product.entity.js';

export interface PriceWithEnd {
  price: Price;
  /** When the next version of the same product and currency takes over, if one exists. */
  effectiveUntil: Date | null;
}

export interface PriceFilter {
  productId?: string;
  currency?: string;
  /** true: versions not yet superseded at `now`; false: superseded ones. */
  current?: boolean;
  now: Date;
}

/** What rating needs to know about a product: whether it may be used, and how many price versions it has. */
export interface ProductRatingState {
  id: string;
  archivedAt: Date | null;
  priceVersions: number;
}

interface PriceRow {
  id: string;
  account_id: string;
  product_id: string;
  currency: string;
  input_per_million: string | null;
  output_per_million: string | null;
  cached_input_per_million: string | null;
  cache_write_per_million: string | null;
  reasoning_per_million: string | null;
  per_call: string | null;
  minimum_per_event: string;
  effective_from: Date;
  metadata: Record<string, string>;
  created_at: Date;
  effective_until?: Date | null;
}

const nanosOrNull = (value: string | null): bigint | null => (value === null ? null : BigInt(value));

function priceFromRow(row: PriceRow): Price {
  return Object.assign(new Price(), {
    id: row.id,
    accountId: row.account_id,
    productId: row.product_id,
    currency: row.currency,
    inputPerMillion: nanosOrNull(row.input_per_million),
    outputPerMillion: nanosOrNull(row.output_per_million),
    cachedInputPerMillion: nanosOrNull(row.cached_input_per_million),
    cacheWritePerMillion: nanosOrNull(row.cache_write_per_million),
    reasoningPerMillion: nanosOrNull(row.reasoning_per_million),
    perCall: nanosOrNull(row.per_call),
    minimumPerEvent: BigInt(row.minimum_per_event),
    effectiveFrom: row.effective_from,
    metadata: row.metadata,
    createdAt: row.created_at,
  } satisfies Price);
}

const NEXT_VERSION_START = `(SELECT min(n.effective_from) FROM prices n
  WHERE n.product_id = p.product_id AND n.currency = p.currency AND n.effective_from > p.effective_from)`;

@Injectable()
export class CatalogRepository {
  constructor(@InjectRepository(Product) private readonly products: Repository<Product>) {}

  async insertProduct(manager: EntityManager, product: Product): Promise<void> {
    await manager.insert(Product, product);
  }

  /** Tenant-scoped: another account's product is not found. */
  findProduct(accountId: string, id: string): Promise<Product | null> {
    return this.products.findOneBy({ accountId, id });
  }

  /** Locks the product row: archiving and new price versions of one product happen one at a time. */
  lockProduct(manager: EntityManager, accountId: string, id: string): Promise<Product | null> {
    return manager.findOne(Product, { where: { accountId, id }, lock: { mode: 'pessimistic_write' } });
  }

  async archiveProduct(manager: EntityManager, product: Product, at: Date): Promise<void> {
    product.archivedAt = at;
    await manager.update(Product, { id: product.id }, { archivedAt: at });
  }

  listProducts(accountId: string, limit: number, startingAfter?: string, active?: boolean): Promise<Product[]> {
    const where: FindOptionsWhere<Product> = { accountId };
    if (startingAfter) where.id = LessThan(startingAfter);
    if (active !== undefined) where.archivedAt = active ? IsNull() : Not(IsNull());
    return this.products.find({ where, order: { id: 'DESC' }, take: limit + 1 });
  }

  /** The latest version of a product's price in a currency (the one with the latest start). */
  async latestPrice(manager: EntityManager, productId: string, currency: string): Promise<Price | null> {
    const rows: PriceRow[] = await manager.query(
      `SELECT * FROM prices WHERE product_id = $1 AND currency = $2 ORDER BY effective_from DESC LIMIT 1`,
      [productId, currency],
    );
    return rows.length ? priceFromRow(rows[0]) : null;
  }

  /** Inserts a version and bumps the product's version counter, which invalidates cached version lists. */
  async insertPrice(manager: EntityManager, price: Price): Promise<void> {
    await manager.insert(Price, price);
    await manager.query(`UPDATE products SET price_versions = price_versions + 1 WHERE id = $1`, [price.productId]);
  }

  async findPrice(accountId: string, id: string): Promise<PriceWithEnd | null> {
    const rows: PriceRow[] = await this.products.manager.query(
      `SELECT p.*, ${NEXT_VERSION_START} AS effective_until FROM prices p WHERE p.account_id = $1 AND p.id = $2`,
      [accountId, id],
    );
    return rows.length ? { price: priceFromRow(rows[0]), effectiveUntil: rows[0].effective_until ?? null } : null;
  }

  async listPrices(
    accountId: string,
    filter: PriceFilter,
    limit: number,
    startingAfter?: string,
  ): Promise<PriceWithEnd[]> {
    const conditions = ['p.account_id = $1'];
    const params: unknown[] = [accountId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      conditions.push(sql.replace('?', `$${params.length}`));
    };
    if (startingAfter) add('p.id < ?', startingAfter);
    if (filter.productId) add('p.product_id = ?', filter.productId);
    if (filter.currency) add('p.currency = ?', filter.currency);
    if (filter.current !== undefined) {
      add(
        filter.current ? `(${NEXT_VERSION_START} IS NULL OR ${NEXT_VERSION_START} > ?)` : `${NEXT_VERSION_START} <= ?`,
        filter.now,
      );
    }
    params.push(limit + 1);
    const rows: PriceRow[] = await this.products.manager.query(
      `SELECT p.*, ${NEXT_VERSION_START} AS effective_until FROM prices p
       WHERE ${conditions.join(' AND ')} ORDER BY p.id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => ({ price: priceFromRow(row), effectiveUntil: row.effective_until ?? null }));
  }

  async productRatingStates(accountId: string, ids: string[]): Promise<ProductRatingState[]> {
    const rows: Array<{ id: string; archived_at: Date | null; price_versions: number }> =
      await this.products.manager.query(
        `SELECT id, archived_at, price_versions FROM products WHERE account_id = $1 AND id = ANY($2::text[])`,
        [accountId, ids],
      );
    return rows.map((row) => ({ id: row.id, archivedAt: row.archived_at, priceVersions: row.price_versions }));
  }

  /** Every version of the given products, oldest start first. */
  async versionsOf(productIds: string[]): Promise<Price[]> {
    const rows: PriceRow[] = await this.products.manager.query(
      `SELECT * FROM prices WHERE product_id = ANY($1::text[]) ORDER BY effective_from`,
      [productIds],
    );
    return rows.map(priceFromRow);
  }

  async pricesByIds(accountId: string, ids: string[]): Promise<Price[]> {
    const rows: PriceRow[] = await this.products.manager.query(
      `SELECT * FROM prices WHERE account_id = $1 AND id = ANY($2::text[])`,
      [accountId, ids],
    );
    return rows.map(priceFromRow);
  }
}
