import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWebhooksAndOutbox1764800200000 implements MigrationInterface {
  name = 'CreateWebhooksAndOutbox1764800200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox_messages (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        queue text NOT NULL,
        name text NOT NULL,
        job_id text NOT NULL,
        payload jsonb NOT NULL,
        available_at timestamptz NOT NULL DEFAULT now(),
        dispatched_at timestamptz,
        relay_failures integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX outbox_messages_due ON outbox_messages (available_at, id)
      WHERE dispatched_at IS NULL`);
    await queryRunner.query(`CREATE INDEX outbox_messages_dispatched ON outbox_messages (dispatched_at)
      WHERE dispatched_at IS NOT NULL`);

    await queryRunner.query(`CREATE INDEX events_account_type ON events (account_id, type, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE webhook_endpoints (
        id text PRIMARY KEY,
        account_id text NOT NULL REFERENCES accounts (id),
        url text NOT NULL,
        description text,
        enabled_events text[] NOT NULL CHECK (cardinality(enabled_events) > 0),
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text CHECK (disabled_reason IN ('manual', 'endpoint_gone')),
        secret text NOT NULL,
        previous_secret text,
        previous_secret_expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX webhook_endpoints_account ON webhook_endpoints (account_id, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE webhook_deliveries (
        id text PRIMARY KEY,
        account_id text NOT NULL,
        endpoint_id text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        event_id text NOT NULL REFERENCES events (id),
        trigger text NOT NULL CHECK (trigger IN ('event', 'redeliver')),
        status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'canceled')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The relay may see an event again after a crash; an event reaches an endpoint through one automatic delivery.
    await queryRunner.query(`CREATE UNIQUE INDEX webhook_deliveries_event_endpoint
      ON webhook_deliveries (event_id, endpoint_id) WHERE trigger = 'event'`);
    await queryRunner.query(`CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE webhook_delivery_attempts (
        id text PRIMARY KEY,
        account_id text NOT NULL,
        delivery_id text NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
        endpoint_id text NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        attempt integer NOT NULL CHECK (attempt > 0),
        url text NOT NULL,
        status_code integer,
        duration_ms integer NOT NULL CHECK (duration_ms >= 0),
        error text,
        succeeded boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (delivery_id, attempt)
      )`);
    await queryRunner.query(`CREATE INDEX webhook_delivery_attempts_endpoint
      ON webhook_delivery_attempts (endpoint_id, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE provider_events (
        provider text NOT NULL,
        id text NOT NULL,
        type text NOT NULL,
        provider_account_id text,
        payload jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz,
        PRIMARY KEY (provider, id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP TABLE provider_events, webhook_delivery_attempts, webhook_deliveries, webhook_endpoints`,
    );
    await queryRunner.query(`DROP INDEX events_account_type`);
    await queryRunner.query(`DROP TABLE outbox_messages`);
  }
}
