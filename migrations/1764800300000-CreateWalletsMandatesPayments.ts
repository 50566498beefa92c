import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWalletsMandatesPayments1764800300000 implements MigrationInterface {
  name = 'CreateWalletsMandatesPayments1764800300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE wallets (
        account_id text NOT NULL REFERENCES accounts (id),
        currency text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, currency)
      )`);
    await queryRunner.query(`
      CREATE TABLE top_ups (
        id text PRIMARY KEY,
        account_id text NOT NULL REFERENCES accounts (id),
        currency text NOT NULL,
        amount numeric(38, 0) NOT NULL CHECK (amount > 0),
        status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
        provider text NOT NULL,
        provider_payment_id text,
        client_secret text,
        failure_code text,
        failure_message text,
        ledger_transaction_id text,
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX top_ups_account ON top_ups (account_id, id DESC)`);
    await queryRunner.query(`CREATE UNIQUE INDEX top_ups_provider_payment ON top_ups (provider, provider_payment_id)
      WHERE provider_payment_id IS NOT NULL`);

    await queryRunner.query(`
      CREATE TABLE agents (
        id text PRIMARY KEY,
        account_id text NOT NULL REFERENCES accounts (id),
        name text NOT NULL,
        framework text,
        vendor text,
        public_key text,
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX agents_account ON agents (account_id, id DESC)`);

    // spent_total and spent_day_amount include open holds (payments awaiting confirmation): a hold
    // counts against the limits until it is captured (stays counted) or released (given back).
    await queryRunner.query(`
      CREATE TABLE mandates (
        id text PRIMARY KEY,
        payer_account_id text NOT NULL REFERENCES accounts (id),
        agent_id text REFERENCES agents (id),
        payee_account_ids text[] NOT NULL CHECK (cardinality(payee_account_ids) >= 1),
        currency text NOT NULL,
        max_amount_per_payment numeric(38, 0) CHECK (max_amount_per_payment > 0),
        max_amount_per_day numeric(38, 0) CHECK (max_amount_per_day > 0),
        total_budget numeric(38, 0) CHECK (total_budget > 0),
        confirmation_threshold numeric(38, 0) CHECK (confirmation_threshold >= 0),
        expires_at timestamptz,
        description text NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL CHECK (status IN ('active', 'exhausted', 'expired', 'revoked')),
        spent_total numeric(38, 0) NOT NULL DEFAULT 0 CHECK (spent_total >= 0),
        spent_day date NOT NULL,
        spent_day_amount numeric(38, 0) NOT NULL DEFAULT 0 CHECK (spent_day_amount >= 0),
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (total_budget IS NULL OR spent_total <= total_budget),
        CHECK (max_amount_per_day IS NULL OR spent_day_amount <= max_amount_per_day)
      )`);
    await queryRunner.query(`CREATE INDEX mandates_payer ON mandates (payer_account_id, id DESC)`);
    await queryRunner.query(`CREATE INDEX mandates_payees ON mandates USING gin (payee_account_ids)`);
    await queryRunner.query(`CREATE INDEX mandates_expiring ON mandates (expires_at)
      WHERE status IN ('active', 'exhausted') AND expires_at IS NOT NULL`);

    await queryRunner.query(`
      CREATE TABLE payments (
        id text PRIMARY KEY,
        receiver_account_id text NOT NULL REFERENCES accounts (id),
        payer_account_id text NOT NULL REFERENCES accounts (id),
        mandate_id text NOT NULL REFERENCES mandates (id),
        agent_id text,
        currency text NOT NULL,
        amount numeric(38, 0) NOT NULL CHECK (amount > 0),
        fee numeric(38, 0) NOT NULL CHECK (fee >= 0 AND fee <= amount),
        status text NOT NULL
          CHECK (status IN ('succeeded', 'failed', 'requires_confirmation', 'canceled', 'expired')),
        decline_code text,
        decline_message text,
        description text,
        metadata jsonb NOT NULL DEFAULT '{}',
        ledger_transaction_id text,
        hold_transaction_id text,
        counted_day date,
        amount_refunded numeric(38, 0) NOT NULL DEFAULT 0,
        fee_refunded numeric(38, 0) NOT NULL DEFAULT 0,
        confirmation_expires_at timestamptz,
        succeeded_at timestamptz,
        canceled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (amount_refunded >= 0 AND amount_refunded <= amount),
        CHECK (fee_refunded >= 0 AND fee_refunded <= fee)
      )`);
    await queryRunner.query(`CREATE INDEX payments_receiver ON payments (receiver_account_id, id DESC)`);
    await queryRunner.query(`CREATE INDEX payments_payer ON payments (payer_account_id, id DESC)`);
    await queryRunner.query(`CREATE INDEX payments_payer_created ON payments (payer_account_id, created_at)`);
    await queryRunner.query(`CREATE INDEX payments_payer_succeeded ON payments (payer_account_id, succeeded_at)
      WHERE succeeded_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX payments_awaiting_confirmation ON payments (confirmation_expires_at)
      WHERE status = 'requires_confirmation'`);

    await queryRunner.query(`
      CREATE TABLE refunds (
        id text PRIMARY KEY,
        payment_id text NOT NULL REFERENCES payments (id),
        receiver_account_id text NOT NULL REFERENCES accounts (id),
        payer_account_id text NOT NULL REFERENCES accounts (id),
        mandate_id text NOT NULL REFERENCES mandates (id),
        currency text NOT NULL,
        amount numeric(38, 0) NOT NULL CHECK (amount > 0),
        fee_refunded numeric(38, 0) NOT NULL CHECK (fee_refunded >= 0),
        status text NOT NULL CHECK (status IN ('succeeded')),
        reason text,
        metadata jsonb NOT NULL DEFAULT '{}',
        ledger_transaction_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX refunds_receiver ON refunds (receiver_account_id, id DESC)`);
    await queryRunner.query(`CREATE INDEX refunds_payer ON refunds (payer_account_id, created_at)`);
    await queryRunner.query(`CREATE INDEX refunds_payment ON refunds (payment_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE refunds, payments, mandates, agents, top_ups, wallets`);
  }
}
