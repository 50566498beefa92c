import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsageMetering1764800500100 implements MigrationInterface {
  name = 'CreateUsageMetering1764800500100';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Accepted usage, append-only, in monthly range partitions of the event's own timestamp, so a month can be
    // detached and archived once no late event can land in it. Every index here must include occurred_at.
    await queryRunner.query(`
      CREATE TABLE usage_events (
        id text NOT NULL,
        account_id text NOT NULL,
        event_id text NOT NULL,
        occurred_at timestamptz NOT NULL,
        mandate_id text NOT NULL,
        payer_account_id text NOT NULL,
        product_id text NOT NULL,
        price_id text NOT NULL,
        currency text NOT NULL,
        input_tokens bigint NOT NULL,
        output_tokens bigint NOT NULL,
        cached_input_tokens bigint NOT NULL,
        cache_write_tokens bigint NOT NULL,
        reasoning_tokens bigint NOT NULL,
        calls bigint NOT NULL,
        amount numeric(38, 0) NOT NULL CHECK (amount >= 0),
        exact_numerator numeric NOT NULL,
        exact_denominator numeric NOT NULL,
        fee numeric(38, 0) NOT NULL CHECK (fee >= 0 AND fee <= amount),
        subsidy numeric(38, 0) NOT NULL DEFAULT 0,
        authorization_id text,
        ledger_transaction_id text,
        metadata jsonb,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (account_id, id, occurred_at)
      ) PARTITION BY RANGE (occurred_at)`);
    await queryRunner.query(`CREATE INDEX usage_events_account_time ON usage_events (account_id, occurred_at)`);
    await queryRunner.query(`CREATE INDEX usage_events_payer_time ON usage_events (payer_account_id, occurred_at)`);

    // Deduplication cannot be a unique index on usage_events (it would have to include the partition key), so
    // it lives here, written in the same transaction as the event: the insert itself decides, atomically.
    // Rows are pruned by created_at after the dedup window; BRIN keeps that cheap without a second B-tree.
    await queryRunner.query(`
      CREATE TABLE usage_event_keys (
        account_id text NOT NULL,
        event_id text NOT NULL,
        content_hash bytea NOT NULL,
        usage_event_id text NOT NULL,
        occurred_at timestamptz NOT NULL,
        currency text NOT NULL,
        amount numeric(38, 0) NOT NULL,
        fee numeric(38, 0) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, event_id)
      )`);
    await queryRunner.query(`CREATE INDEX usage_event_keys_created ON usage_event_keys USING brin (created_at)`);

    // Events that were not accepted, with why; partitioned by arrival so old months are simply dropped.
    await queryRunner.query(`
      CREATE TABLE usage_event_rejections (
        id text NOT NULL,
        account_id text NOT NULL,
        event_id text,
        status text NOT NULL CHECK (status IN ('rejected', 'conflict')),
        code text NOT NULL,
        message text NOT NULL,
        occurred_at timestamptz,
        mandate_id text,
        product_id text,
        price_id text,
        payload jsonb NOT NULL,
        request_id text,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (account_id, id, created_at)
      ) PARTITION BY RANGE (created_at)`);

    // Creates the monthly partitions covering [from, to) of both tables; idempotent, and serialised by an
    // advisory lock so replicas running it at once do not race on the catalog.
    await queryRunner.query(`
      CREATE FUNCTION ensure_usage_partitions(from_at timestamptz, to_at timestamptz) RETURNS integer
      LANGUAGE plpgsql AS $$
      DECLARE
        month timestamp := date_trunc('month', from_at AT TIME ZONE 'UTC');
        last_month timestamp := date_trunc('month', to_at AT TIME ZONE 'UTC');
        created integer := 0;
        parent text;
        name text;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('ensure_usage_partitions'));
        WHILE month <= last_month LOOP
          FOREACH parent IN ARRAY ARRAY['usage_events', 'usage_event_rejections'] LOOP
            name := parent || '_' || to_char(month, '"y"YYYY"m"MM');
            IF to_regclass(name) IS NULL THEN
              EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', name, parent,
                month AT TIME ZONE 'UTC', (month + interval '1 month') AT TIME ZONE 'UTC');
              created := created + 1;
            END IF;
          END LOOP;
          month := month + interval '1 month';
        END LOOP;
        RETURN created;
      END $$`);
    await queryRunner.query(`SELECT ensure_usage_partitions(now() - interval '120 days', now() + interval '92 days')`);

    // An "up to" hold for real-time control. The hold itself is a pending ledger transaction; partial captures
    // replace it with a smaller one, so hold_transaction_id names the current one.
    await queryRunner.query(`
      CREATE TABLE usage_authorizations (
        id text PRIMARY KEY,
        account_id text NOT NULL REFERENCES accounts (id),
        mandate_id text NOT NULL,
        payer_account_id text,
        currency text NOT NULL,
        amount numeric(38, 0) NOT NULL CHECK (amount > 0),
        captured numeric(38, 0) NOT NULL DEFAULT 0,
        captured_fee numeric(38, 0) NOT NULL DEFAULT 0,
        status text NOT NULL CHECK (status IN ('active', 'captured', 'voided', 'expired', 'declined')),
        decline_code text,
        decline_message text,
        hold_transaction_id text,
        counted_day date,
        expires_at timestamptz NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}',
        closed_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CHECK (captured >= 0 AND captured <= amount),
        CHECK (captured_fee >= 0 AND captured_fee <= captured)
      )`);
    await queryRunner.query(`CREATE INDEX usage_authorizations_account ON usage_authorizations (account_id, id DESC)`);
    await queryRunner.query(`CREATE INDEX usage_authorizations_expiring ON usage_authorizations (expires_at)
      WHERE status = 'active'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE usage_authorizations, usage_event_rejections, usage_event_keys, usage_events`);
    await queryRunner.query(`DROP FUNCTION ensure_usage_partitions(timestamptz, timestamptz)`);
  }
}
