import { Column, Entity, PrimaryColumn } from 'typeorm';

export type WebhookDeliveryTrigger = 'event' | 'redeliver';
export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'canceled';

/** One event sent to one endpoint, across all its attempts. */
@Entity('webhook_deliveries')
export class WebhookDelivery {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'account_id' }) accountId!: string;
  @Column('text', { name: 'endpoint_id' }) endpointId!: string;
  @Column('text', { name: 'event_id' }) eventId!: string;
  @Column('text') trigger!: WebhookDeliveryTrigger;
  @Column('text') status!: WebhookDeliveryStatus;
  @Column('integer') attempts!: number;
  @Column('timestamptz', { name: 'next_attempt_at', nullable: true }) nextAttemptAt!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

@Entity('webhook_delivery_attempts')
export class WebhookDeliveryAttempt {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'account_id' }) accountId!: string;
  @Column('text', { name: 'delivery_id' }) deliveryId!: string;
  @Column('text', { name: 'endpoint_id' }) endpointId!: string;
  @Column('text', { name: 'event_id' }) eventId!: string;
  @Column('text', { name: 'event_type' }) eventType!: string;
  @Column('integer') attempt!: number;
  @Column('text') url!: string;
  @Column('integer', { name: 'status_code', nullable: true }) statusCode!: number | null;
  @Column('integer', { name: 'duration_ms' }) durationMs!: number;
  @Column('text', { nullable: true }) error!: string | null;
  @Column('boolean') succeeded!: boolean;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
