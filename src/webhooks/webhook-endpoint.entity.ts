import { Column, Entity, PrimaryColumn } from 'typeorm';

export type WebhookEndpointDisabledReason = 'manual' | 'endpoint_gone';

@Entity('webhook_endpoints')
export class WebhookEndpoint {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'account_id' }) accountId!: string;
  @Column('text') url!: string;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('text', { name: 'enabled_events', array: true }) enabledEvents!: string[];
  @Column('boolean') enabled!: boolean;
  @Column('text', { name: 'disabled_reason', nullable: true }) disabledReason!: WebhookEndpointDisabledReason | null;
  @Column('text') secret!: string;
  @Column('text', { name: 'previous_secret', nullable: true }) previousSecret!: string | null;
  @Column('timestamptz', { name: 'previous_secret_expires_at', nullable: true }) previousSecretExpiresAt!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
