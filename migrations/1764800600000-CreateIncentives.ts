import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIncentives1764800600000 implements MigrationInterface {
  name = 'CreateIncentives1764800600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // funded/withdrawn/spent mirror the program's ledger budget account. Every grant changes them under the row
    // lock in the same transaction as its ledger posting, which is what lets a grant be cut to what remains
    // atomically; the CHECK is the last line of defence, the ledger floor of 0 is the one behind it.
    await queryRunner.query(`
      CREATE TABLE incentive_programs (
        id text PRIMARY KEY,
        name text NOT NULL,
        description text,
        type text NOT NULL CHECK (type IN ('token_subsidy', 'fee_discount', 'signup_credit')),
        currency text NOT NULL,
        status text NOT NULL CHECK (status IN ('draft', 'active', 'paused', 'ended')),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz,
        auto_enroll boolean NOT NULL,
        required_capabilities text[] NOT NULL DEFAULT '{}',
        max_account_age_days integer CHECK (max_account_age_days > 0),
        countries text[] NOT NULL DEFAULT '{}',
        subsidy_bps integer CHECK (subsidy_bps BETWEEN 1 AND 10000),
        monthly_cap_per_account numeric(38, 0) CHECK (monthly_cap_per_account > 0),
        eligible_products text[] NOT NULL DEFAULT '{}',
        eligible_vendors text[] NOT NULL DEFAULT '{}',
        fee_rate_bps integer CHECK (fee_rate_bps BETWEEN 0 AND 10000),
        duration_days integer CHECK (duration_days > 0),
        credit_amount numeric(38, 0) CHECK (credit_amount > 0),
        budget_ledger_account_id text NOT NULL,
        funded numeric(38, 0) NOT NULL DEFAULT 0 CHECK (funded >= 0),
        withdrawn numeric(38, 0) NOT NULL DEFAULT 0 CHECK (withdrawn >= 0),
        spent numeric(38, 0) NOT NULL DEFAULT 0 CHECK (spent >= 0),
        low_notified boolean NOT NULL DEFAULT false,
        exhausted_notified boolean NOT NULL DEFAULT false,
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (funded - withdrawn - spent >= 0),
        CHECK (ends_at IS NULL OR ends_at > starts_at),
        CHECK (type <> 'token_subsidy' OR subsidy_bps IS NOT NULL),
        CHECK (type <> 'fee_discount' OR (fee_rate_bps IS NOT NULL AND duration_days IS NOT NULL)),
        CHECK (type <> 'signup_credit' OR credit_amount IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE INDEX incentive_programs_open ON incentive_programs (type, currency)
      WHERE status = 'active'`);

    await queryRunner.query(`
      CREATE TABLE incentive_enrollments (
        id text PRIMARY KEY,
        program_id text NOT NULL REFERENCES incentive_programs (id),
        account_id text NOT NULL REFERENCES accounts (id),
        status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
        method text NOT NULL CHECK (method IN ('application', 'automatic')),
        note text,
        rejection_reason text,
        approved_at timestamptz,
        rejected_at timestamptz,
        benefit_ends_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (status <> 'approved' OR approved_at IS NOT NULL)
      )`);
    // One enrollment per account and program, whatever its outcome: the "one enrollment per account" rule,
    // enforced by the database so two concurrent applications cannot both land.
    await queryRunner.query(`CREATE UNIQUE INDEX incentive_enrollments_program_account
      ON incentive_enrollments (program_id, account_id)`);
    await queryRunner.query(
      `CREATE INDEX incentive_enrollments_program ON incentive_enrollments (program_id, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX incentive_enrollments_account ON incentive_enrollments (account_id, id DESC)`,
    );

    await queryRunner.query(`
      CREATE TABLE incentive_budget_movements (
        id text PRIMARY KEY,
        program_id text NOT NULL REFERENCES incentive_programs (id),
        type text NOT NULL CHECK (type IN ('fund', 'withdraw')),
        currency text NOT NULL,
        amount numeric(38, 0) NOT NULL CHECK (amount > 0),
        ledger_transaction_id text NOT NULL,
        booked_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX incentive_budget_movements_program
      ON incentive_budget_movements (program_id, booked_at)`);

    // A benefit is one ledger transaction out of the budget; `requested` is what the terms promised before the
    // budget or the monthly cap cut it. `returned` grows with refunds of the source and never exceeds `amount`.
    await queryRunner.query(`
      CREATE TABLE incentive_benefits (
        id text PRIMARY KEY,
        program_id text NOT NULL REFERENCES incentive_programs (id),
        account_id text NOT NULL REFERENCES accounts (id),
        type text NOT NULL CHECK (type IN ('token_subsidy', 'fee_rebate', 'signup_credit')),
        currency text NOT NULL,
        amount numeric(38, 0) NOT NULL CHECK (amount > 0),
        requested numeric(38, 0) NOT NULL CHECK (requested >= amount),
        basis numeric(38, 0) NOT NULL CHECK (basis > 0),
        returned numeric(38, 0) NOT NULL DEFAULT 0 CHECK (returned >= 0 AND returned <= amount),
        basis_refunded numeric(38, 0) NOT NULL DEFAULT 0 CHECK (basis_refunded >= 0 AND basis_refunded <= basis),
        source_type text NOT NULL,
        source_id text NOT NULL,
        counterparty_account_id text,
        cap_month date,
        ledger_transaction_id text NOT NULL,
        occurred_at timestamptz NOT NULL,
        booked_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A source (usage event, payment, enrollment) earns at most one benefit: retries cannot pay twice.
    await queryRunner.query(`CREATE UNIQUE INDEX incentive_benefits_source
      ON incentive_benefits (source_type, source_id, type)`);
    await queryRunner.query(`CREATE INDEX incentive_benefits_program ON incentive_benefits (program_id, booked_at)`);
    await queryRunner.query(`CREATE INDEX incentive_benefits_account ON incentive_benefits (account_id, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE incentive_benefit_returns (
        id text PRIMARY KEY,
        benefit_id text NOT NULL REFERENCES incentive_benefits (id),
        program_id text NOT NULL REFERENCES incentive_programs (id),
        account_id text NOT NULL REFERENCES accounts (id),
        currency text NOT NULL,
        amount numeric(38, 0) NOT NULL CHECK (amount >= 0),
        basis_refunded numeric(38, 0) NOT NULL CHECK (basis_refunded > 0),
        reason_type text NOT NULL,
        reason_id text NOT NULL,
        ledger_transaction_id text,
        booked_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX incentive_benefit_returns_reason
      ON incentive_benefit_returns (benefit_id, reason_type, reason_id)`);
    await queryRunner.query(`CREATE INDEX incentive_benefit_returns_program
      ON incentive_benefit_returns (program_id, booked_at)`);

    // Subsidy granted per account and UTC calendar month (net of returns), for the monthly cap.
    await queryRunner.query(`
      CREATE TABLE incentive_monthly_subsidies (
        program_id text NOT NULL REFERENCES incentive_programs (id),
        account_id text NOT NULL,
        month date NOT NULL,
        amount numeric(38, 0) NOT NULL DEFAULT 0 CHECK (amount >= 0),
        PRIMARY KEY (program_id, account_id, month)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE incentive_monthly_subsidies, incentive_benefit_returns, incentive_benefits,
      incentive_budget_movements, incentive_enrollments, incentive_programs`);
  }
}
