import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateFoundation1764800000000 implements MigrationInterface {
  name = 'CreateFoundation1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE accounts (
        id text PRIMARY KEY,
        name text NOT NULL,
        email text NOT NULL,
        country char(2) NOT NULL,
        default_currency text NOT NULL,
        capabilities text[] NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
        verification_status text NOT NULL DEFAULT 'unverified'
          CHECK (verification_status IN ('unverified', 'pending', 'verified', 'rejected')),
        charges_enabled boolean NOT NULL DEFAULT false,
        payouts_enabled boolean NOT NULL DEFAULT false,
        provider text NOT NULL,
        provider_account_id text,
        fee_bps integer CHECK (fee_bps BETWEEN 0 AND 10000),
        fee_fixed numeric(38, 0) CHECK (fee_fixed >= 0),
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX accounts_provider_account ON accounts (provider, provider_account_id)
      WHERE provider_account_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE api_keys (
        id text PRIMARY KEY,
        account_id text NOT NULL REFERENCES accounts (id),
        name text NOT NULL,
        scopes text[] NOT NULL,
        livemode boolean NOT NULL,
        prefix text NOT NULL,
        last4 text NOT NULL,
        secret_hash bytea NOT NULL UNIQUE,
        expires_at timestamptz,
        revoked_at timestamptz,
        rolled_to text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX api_keys_account ON api_keys (account_id, id DESC)`);
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        owner text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        status text NOT NULL CHECK (status IN ('in_progress', 'completed')),
        response_status integer,
        response_body jsonb,
        locked_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (owner, key)
      )`);
    await queryRunner.query(`CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)`);
    await queryRunner.query(`
      CREATE TABLE events (
        id text PRIMARY KEY,
        account_id text NOT NULL,
        type text NOT NULL,
        data jsonb NOT NULL,
        request_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        dispatched_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX events_account ON events (account_id, id DESC)`);
    await queryRunner.query(`CREATE INDEX events_undispatched ON events (id) WHERE dispatched_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE events, idempotency_keys, api_keys, accounts`);
  }
}
