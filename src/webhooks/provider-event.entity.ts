import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An inbound provider webhook, stored once by its id before it is processed. */
@Entity('provider_events')
export class ProviderEventRecord {
  @PrimaryColumn('text') provider!: string;
  @PrimaryColumn('text') id!: string;
  @Column('text') type!: string;
  @Column('text', { name: 'provider_account_id', nullable: true }) providerAccountId!: string | null;
  @Column('jsonb') payload!: Record<string, unknown>;
  @Column('timestamptz', { name: 'received_at' }) receivedAt!: Date;
  @Column('timestamptz', { name: 'processed_at', nullable: true }) processedAt!: Date | null;
}
