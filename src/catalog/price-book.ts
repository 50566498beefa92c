import { Injectable } from '@nestjs/common';
import { CatalogRepository, type ProductRatingState } from './catalog.repository.js';
import type { Price } from './price.entity.js';

/** What rating one batch of usage needs from the catalog, resolved once per batch. */
export interface RatingCatalog {
  /** The vendor's product, or undefined when it does not exist for this vendor. */
  product(id: string): ProductRatingState | undefined;
  /** The vendor's price version, or undefined when it does not exist for this vendor. */
  price(id: string): Price | undefined;
  /** The version of the product's price in `currency` in force at `at`: the latest one starting at or before it. */
  priceInForce(productId: string, currency: string, at: Date): Price | undefined;
}

interface CachedVersions {
  /** The product's version counter when the list was read; the list is complete for that counter. */
  priceVersions: number;
  byCurrency: Map<string, Price[]>;
}

/* Bounds on process memory; a cleared cache only costs a reload. */
const MAX_CACHED_PRICES = 100_000;
const MAX_CACHED_PRODUCTS = 20_000;

/**
 * Price versions are immutable, so they are cached in process memory by id forever. Which versions a product has
 * can grow, so every batch reads the products' version counters (one small query) and reloads only the lists whose
 * counter moved: a version created on another replica is seen by the next batch, never missed.
 */
@Injectable()
export class PriceBook {
  private readonly pricesById = new Map<string, Price>();
  private readonly versionsByProduct = new Map<string, CachedVersions>();

  constructor(private readonly repository: CatalogRepository) {}

  async load(accountId: string, productIds: Iterable<string>, priceIds: Iterable<string>): Promise<RatingCatalog> {
    const wantedPrices = [...new Set(priceIds)];
    const missing = wantedPrices.filter((id) => !this.pricesById.has(id));
    if (missing.length > 0) {
      if (this.pricesById.size + missing.length > MAX_CACHED_PRICES) this.pricesById.clear();
      for (const price of await this.repository.pricesByIds(accountId, missing)) this.pricesById.set(price.id, price);
    }
    const prices = new Map<string, Price>();
    for (const id of wantedPrices) {
      const price = this.pricesById.get(id);
      if (price && price.accountId === accountId) prices.set(id, price);
    }

    const versionedProducts = new Set(productIds);
    const allProducts = new Set([...versionedProducts, ...[...prices.values()].map((price) => price.productId)]);
    const states = allProducts.size > 0 ? await this.repository.productRatingStates(accountId, [...allProducts]) : [];
    const products = new Map(states.map((state) => [state.id, state]));

    const stale = states.filter(
      (state) =>
        versionedProducts.has(state.id) && this.versionsByProduct.get(state.id)?.priceVersions !== state.priceVersions,
    );
    if (stale.length > 0) {
      if (this.versionsByProduct.size + stale.length > MAX_CACHED_PRODUCTS) this.versionsByProduct.clear();
      const loaded = await this.repository.versionsOf(stale.map((state) => state.id));
      for (const state of stale)
        this.versionsByProduct.set(state.id, { priceVersions: state.priceVersions, byCurrency: new Map() });
      for (const price of loaded) {
        const entry = this.versionsByProduct.get(price.productId)!;
        const list = entry.byCurrency.get(price.currency) ?? [];
        list.push(price);
        entry.byCurrency.set(price.currency, list);
        if (!this.pricesById.has(price.id)) this.pricesById.set(price.id, price);
      }
    }
    // The batch keeps its own references, so a concurrent reload or eviction cannot change its view mid-way.
    const versions = new Map<string, CachedVersions>();
    for (const id of versionedProducts) {
      const entry = this.versionsByProduct.get(id);
      if (entry) versions.set(id, entry);
    }

    return {
      product: (id) => products.get(id),
      price: (id) => prices.get(id),
      priceInForce(productId, currency, at) {
        if (!products.has(productId)) return undefined;
        const list = versions.get(productId)?.byCurrency.get(currency);
        if (!list) return undefined;
        const time = at.getTime();
        let found: Price | undefined;
        for (const price of list) {
          if (price.effectiveFrom.getTime() > time) break;
          found = price;
        }
        return found;
      },
    };
  }

  /** Drops a product's cached version list at once on this replica (others notice through the counter). */
  forgetProduct(productId: string): void {
    this.versionsByProduct.delete(productId);
  }
}
