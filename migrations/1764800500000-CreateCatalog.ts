import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCatalog1764800500000 implements MigrationInterface {
  name = 'CreateCatalog1764800500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // price_versions counts the product's price versions: readers cache immutable versions in memory and
    // compare this counter to know whether their cached list of versions is still complete.
    await queryRunner.query(`
      CREATE TABLE products (
        id text PRIMARY KEY,
        account_id text NOT NULL REFERENCES accounts (id),
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('model', 'agent', 'tool', 'other')),
        metadata jsonb NOT NULL DEFAULT '{}',
        price_versions integer NOT NULL DEFAULT 0,
        archived_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX products_account ON products (account_id, id DESC)`);

    // Amounts are nanos of the currency's major unit: token prices per 1,000,000 tokens, per_call per call.
    // NULL means "this price does not price that quantity", which is not the same as a price of zero.
    await queryRunner.query(`
      CREATE TABLE prices (
        id text PRIMARY KEY,
        account_id text NOT NULL REFERENCES accounts (id),
        product_id text NOT NULL REFERENCES products (id),
        currency text NOT NULL,
        input_per_million numeric(38, 0) CHECK (input_per_million >= 0),
        output_per_million numeric(38, 0) CHECK (output_per_million >= 0),
        cached_input_per_million numeric(38, 0) CHECK (cached_input_per_million >= 0),
        cache_write_per_million numeric(38, 0) CHECK (cache_write_per_million >= 0),
        reasoning_per_million numeric(38, 0) CHECK (reasoning_per_million >= 0),
        per_call numeric(38, 0) CHECK (per_call >= 0),
        minimum_per_event numeric(38, 0) NOT NULL DEFAULT 0 CHECK (minimum_per_event >= 0),
        effective_from timestamptz NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (product_id, currency, effective_from)
      )`);
    await queryRunner.query(`CREATE INDEX prices_account ON prices (account_id, id DESC)`);
    // Rated usage refers to price versions forever, so a version never changes once written.
    await queryRunner.query(`
      CREATE FUNCTION prices_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'prices are immutable versions; create a new version instead' USING ERRCODE = '55000';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER prices_immutable BEFORE UPDATE OR DELETE ON prices
      FOR EACH ROW EXECUTE FUNCTION prices_immutable()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE prices, products`);
    await queryRunner.query(`DROP FUNCTION prices_immutable()`);
  }
}
