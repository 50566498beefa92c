import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '../database/bigint.transformer.js';

/** The token classes a price can quote per 1,000,000 tokens. */
export const TOKEN_CLASSES = ['input', 'output', 'cached_input', 'cache_write', 'reasoning'] as const;
export type TokenClass = (typeof TOKEN_CLASSES)[number];

/**
 * One immutable version of a product's price in one currency. Amounts are nanos: token classes per 1,000,000
 * tokens, `perCall` per call. A null amount means the version does not price that quantity at all.
 */
@Entity('prices')
export class Price {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'account_id' }) accountId!: string;
  @Column('text', { name: 'product_id' }) productId!: string;
  @Column('text') currency!: string;
  @Column('numeric', { name: 'input_per_million', nullable: true, transformer: bigintTransformer })
  inputPerMillion!: bigint | null;
  @Column('numeric', { name: 'output_per_million', nullable: true, transformer: bigintTransformer })
  outputPerMillion!: bigint | null;
  @Column('numeric', { name: 'cached_input_per_million', nullable: true, transformer: bigintTransformer })
  cachedInputPerMillion!: bigint | null;
  @Column('numeric', { name: 'cache_write_per_million', nullable: true, transformer: bigintTransformer })
  cacheWritePerMillion!: bigint | null;
  @Column('numeric', { name: 'reasoning_per_million', nullable: true, transformer: bigintTransformer })
  reasoningPerMillion!: bigint | null;
  @Column('numeric', { name: 'per_call', nullable: true, transformer: bigintTransformer }) perCall!: bigint | null;
  @Column('numeric', { name: 'minimum_per_event', transformer: bigintTransformer }) minimumPerEvent!: bigint;
  @Column('timestamptz', { name: 'effective_from' }) effectiveFrom!: Date;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}

/** The per-1M-token amount a price quotes for a token class, or null when it does not price it. */
export function tokenPrice(price: Price, tokenClass: TokenClass): bigint | null {
  switch (tokenClass) {
    case 'input':
      return price.inputPerMillion;
    case 'output':
      return price.outputPerMillion;
    case 'cached_input':
      return price.cachedInputPerMillion;
    case 'cache_write':
      return price.cacheWritePerMillion;
    case 'reasoning':
      return price.reasoningPerMillion;
  }
}
