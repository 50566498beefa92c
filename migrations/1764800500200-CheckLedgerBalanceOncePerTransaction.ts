import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger's balance check is a deferred constraint trigger on ledger_entries, so it fires once per entry at
 * commit, and each firing sums every entry of the entry's ledger transaction: quadratic in the entries of one
 * transaction. A Token Pay batch posts one transaction debiting hundreds of wallets (one entry each), which made
 * the check cost ~0.35 s per batch at commit, with every wallet of the batch still locked.
 *
 * The check itself is unchanged (the transaction exists and balances per currency and effect); it now runs once
 * per ledger transaction and database transaction: the first firing checks all entries of the ledger
 * transaction and marks it checked in a transaction-local setting, later firings for it return at once. All
 * entries of a ledger transaction are written by one statement of ledger_apply, before commit, so the one check
 * sees all of them.
 */
export class CheckLedgerBalanceOncePerTransaction1764800500200 implements MigrationInterface {
  name = 'CheckLedgerBalanceOncePerTransaction1764800500200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION ledger_check_transaction_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        v_checked text := 'ledger_balanced.t' || md5(NEW.transaction_id);
        v_exists boolean;
        v_unbalanced text;
      BEGIN
        IF current_setting(v_checked, true) = '1' THEN
          RETURN NULL;
        END IF;
        SELECT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.id = NEW.transaction_id),
               (SELECT e.currency || ' (' || e.effect || ')' FROM ledger_entries e
                WHERE e.transaction_id = NEW.transaction_id
                GROUP BY e.currency, e.effect
                HAVING sum(CASE e.direction WHEN 'debit' THEN e.amount ELSE -e.amount END) <> 0
                LIMIT 1)
          INTO v_exists, v_unbalanced;
        IF NOT v_exists THEN
          RAISE EXCEPTION 'ledger: entry of unknown transaction %', NEW.transaction_id USING ERRCODE = 'LDG02';
        END IF;
        IF v_unbalanced IS NOT NULL THEN
          RAISE EXCEPTION 'ledger: transaction % does not balance in %', NEW.transaction_id, v_unbalanced
            USING ERRCODE = 'LDG02';
        END IF;
        PERFORM set_config(v_checked, '1', true);
        RETURN NULL;
      END $$`);
  }

  async down(): Promise<void> {
    // The previous definition lives in CreateLedger; re-running that migration restores it.
  }
}
