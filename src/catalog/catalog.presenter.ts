import { formatAmount } from '../../libs/money/src/index.js';
import { unixSeconds } from '../common/pagination/pagination.js';
import type { PriceView } from './dto/price.dto.js';
import type { ProductView } from './dto/product.dto.js';
import type { Price } from './price.entity.js';
import type { Product } from './product.entity.js';

export function presentProduct(product: Product): ProductView {
  return {
    id: product.id,
    object: 'product',
    active: product.archivedAt === null,
    archived_at: product.archivedAt ? unixSeconds(product.archivedAt) : null,
    created: unixSeconds(product.createdAt),
    kind: product.kind,
    metadata: product.metadata,
    name: product.name,
  };
}

function amountOrNull(nanos: bigint | null, currency: string): string | null {
  return nanos === null ? null : formatAmount(nanos, currency);
}

/** `effectiveUntil` is the next version's start, known only to a reader that looked at the later versions. */
export function presentPrice(price: Price, effectiveUntil: Date | null): PriceView {
  return {
    id: price.id,
    object: 'price',
    created: unixSeconds(price.createdAt),
    currency: price.currency,
    effective_from: unixSeconds(price.effectiveFrom),
    effective_until: effectiveUntil ? unixSeconds(effectiveUntil) : null,
    metadata: price.metadata,
    minimum_per_event: formatAmount(price.minimumPerEvent, price.currency),
    per_call: amountOrNull(price.perCall, price.currency),
    per_million_tokens: {
      cache_write: amountOrNull(price.cacheWritePerMillion, price.currency),
      cached_input: amountOrNull(price.cachedInputPerMillion, price.currency),
      input: amountOrNull(price.inputPerMillion, price.currency),
      output: amountOrNull(price.outputPerMillion, price.currency),
      reasoning: amountOrNull(price.reasoningPerMillion, price.currency),
    },
    product: price.productId,
  };
}
