import { Column, Entity, PrimaryColumn } from 'typeorm';

export const PRODUCT_KINDS = ['model', 'agent', 'tool', 'other'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

/** Something a vendor sells by usage: a model, an agent, a tool. Its prices are versioned separately. */
@Entity('products')
export class Product {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'account_id' }) accountId!: string;
  @Column('text') name!: string;
  @Column('text') kind!: ProductKind;
  @Column('jsonb') metadata!: Record<string, string>;
  /** How many price versions exist; bumped with every new version so cached version lists can be validated. */
  @Column('integer', { name: 'price_versions' }) priceVersions!: number;
  @Column('timestamptz', { name: 'archived_at', nullable: true }) archivedAt!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
