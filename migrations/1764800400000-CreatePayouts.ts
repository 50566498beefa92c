import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePayouts1764800400000 implements MigrationInterface {
  name = 'CreatePayouts1764800400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One row per receiver once it sets anything; a receiver without a row has the defaults (daily, no minimum).
    await queryRunner.query(`
      CREATE TABLE payout_settings (
        account_id text PRIMARY KEY REFERENCES accounts (id),
        interval text NOT NULL DEFAULT 'daily' CHECK (interval IN ('daily', 'weekly', 'monthly', 'manual')),
        weekly_anchor text CHECK (weekly_anchor IN
          ('sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday')),
        monthly_anchor integer CHECK (monthly_anchor BETWEEN 1 AND 31),
        minimum_amount numeric(38, 0) NOT NULL DEFAULT 0 CHECK (minimum_amount >= 0),
        minimum_currency text,
        destination jsonb,
        destination_version integer NOT NULL DEFAULT 0,
        paused_reason text,
        paused_by_payout_id text,
        settlement_delay_days integer CHECK (settlement_delay_days BETWEEN 0 AND 365),
        reserve_bps integer NOT NULL DEFAULT 0 CHECK (reserve_bps BETWEEN 0 AND 10000),
        reserve_hold_days integer NOT NULL DEFAULT 0 CHECK (reserve_hold_days BETWEEN 0 AND 365),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE payouts (
        id text PRIMARY KEY,
        account_id text NOT NULL REFERENCES accounts (id),
        amount numeric(38, 0) NOT NULL CHECK (amount > 0),
        currency text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'in_transit', 'paid', 'failed', 'canceled')),
        automatic boolean NOT NULL,
        scheduled_for date,
        description text,
        destination jsonb,
        provider text NOT NULL,
        idempotency_key text NOT NULL UNIQUE,
        provider_transfer_id text,
        provider_payout_id text,
        hold_transaction_id text NOT NULL,
        returned boolean NOT NULL DEFAULT false,
        failure_code text,
        failure_message text,
        submitted_at timestamptz,
        arrival_date timestamptz,
        paid_at timestamptz,
        failed_at timestamptz,
        canceled_at timestamptz,
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CHECK (automatic = (scheduled_for IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX payouts_account ON payouts (account_id, id DESC)`);
    // A scheduled run pays an account at most once per currency and day, however often the scheduler fires.
    await queryRunner.query(`CREATE UNIQUE INDEX payouts_schedule_day ON payouts (account_id, currency, scheduled_for)
      WHERE automatic`);
    await queryRunner.query(
      `CREATE INDEX payouts_open ON payouts (status, id) WHERE status IN ('pending', 'in_transit')`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX payouts_provider_payout ON payouts (provider, provider_payout_id)
      WHERE provider_payout_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX payouts_provider_transfer ON payouts (provider, provider_transfer_id)
      WHERE provider_transfer_id IS NOT NULL`);

    // Every movement of a receiver's pending balance (payment, usage charge, refund, subsidy...), observed with
    // the business time it happened at, waiting to become available on available_on.
    await queryRunner.query(`
      CREATE TABLE settlement_items (
        id text PRIMARY KEY,
        account_id text NOT NULL,
        currency text NOT NULL,
        ledger_transaction_id text NOT NULL,
        ledger_account_id text NOT NULL,
        transaction_type text NOT NULL,
        source_type text,
        source_id text,
        description text,
        gross numeric(38, 0) NOT NULL,
        fee numeric(38, 0) NOT NULL,
        net numeric(38, 0) NOT NULL,
        ledger_created_at timestamptz NOT NULL,
        occurred_at timestamptz NOT NULL,
        available_on timestamptz NOT NULL,
        settlement_id text,
        UNIQUE (ledger_transaction_id, ledger_account_id)
      )`);
    await queryRunner.query(`CREATE INDEX settlement_items_due ON settlement_items (available_on, account_id, currency)
      WHERE settlement_id IS NULL`);
    await queryRunner.query(`CREATE INDEX settlement_items_settlement ON settlement_items (settlement_id)
      WHERE settlement_id IS NOT NULL`);

    // How far the ledger's pending movements have been copied into settlement_items (ledger system time).
    await queryRunner.query(`
      CREATE TABLE settlement_cursor (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        scanned_until timestamptz NOT NULL
      )`);

    await queryRunner.query(`
      CREATE TABLE settlements (
        id text PRIMARY KEY,
        account_id text NOT NULL,
        currency text NOT NULL,
        amount numeric(38, 0) NOT NULL,
        reserve_amount numeric(38, 0) NOT NULL DEFAULT 0 CHECK (reserve_amount >= 0),
        ledger_transaction_id text UNIQUE,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX settlements_account ON settlements (account_id, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE reserve_holds (
        id text PRIMARY KEY,
        account_id text NOT NULL,
        currency text NOT NULL,
        settlement_id text NOT NULL REFERENCES settlements (id),
        amount numeric(38, 0) NOT NULL CHECK (amount > 0),
        release_on timestamptz NOT NULL,
        released_at timestamptz,
        release_transaction_id text,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX reserve_holds_due ON reserve_holds (release_on) WHERE released_at IS NULL`);

    // The local rail's simulated bank: what it was asked to pay and what happened, keyed by idempotency key.
    await queryRunner.query(`
      CREATE TABLE local_bank_transfers (
        id text PRIMARY KEY,
        idempotency_key text NOT NULL UNIQUE,
        payout_id text NOT NULL,
        amount numeric(38, 0) NOT NULL CHECK (amount > 0),
        currency text NOT NULL,
        account_holder_name text NOT NULL,
        account_number text NOT NULL,
        routing_number text,
        status text NOT NULL CHECK (status IN ('in_transit', 'paid', 'failed', 'returned')),
        failure_code text,
        failure_message text,
        return_code text,
        settles_at timestamptz NOT NULL,
        returns_at timestamptz,
        paid_at timestamptz,
        failed_at timestamptz,
        returned_at timestamptz,
        notified_status text,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX local_bank_transfers_due ON local_bank_transfers (settles_at)
      WHERE status = 'in_transit'`);
    await queryRunner.query(`CREATE INDEX local_bank_transfers_returning ON local_bank_transfers (returns_at)
      WHERE status = 'paid' AND returns_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX local_bank_transfers_unnotified ON local_bank_transfers (id)
      WHERE notified_status IS DISTINCT FROM status`);

    await queryRunner.query(`
      CREATE TABLE reconciliation_runs (
        id text PRIMARY KEY,
        provider text NOT NULL,
        source text NOT NULL,
        period_start timestamptz,
        period_end timestamptz,
        payout_id text,
        provider_lines integer NOT NULL,
        ledger_lines integer NOT NULL,
        matched integer NOT NULL,
        exceptions integer NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE reconciliation_exceptions (
        id text PRIMARY KEY,
        run_id text NOT NULL REFERENCES reconciliation_runs (id),
        kind text NOT NULL CHECK (kind IN ('unmatched_provider_line', 'unmatched_ledger_line', 'amount_mismatch')),
        account_id text,
        payout_id text,
        currency text,
        line_type text NOT NULL,
        provider_reference text,
        ledger_reference text,
        expected_amount numeric(38, 0),
        actual_amount numeric(38, 0),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
        resolution_note text,
        dedupe_key text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        resolved_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX reconciliation_exceptions_status ON reconciliation_exceptions (status, id DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reconciliation_exceptions, reconciliation_runs, local_bank_transfers,
      reserve_holds, settlements, settlement_cursor, settlement_items, payouts, payout_settings`);
  }
}
