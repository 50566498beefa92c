import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usage events name the ledger posting that charged them by its reference, which is known before the posting:
 * a batch stores its events (and their dedup keys, which answer duplicates on their own) first, and takes the
 * payers' wallet locks last, holding them for less time. Subsidies are recorded by the incentives module against
 * the usage event, so the copy here goes.
 */
export class ReferenceLedgerFromUsageEvents1764800500300 implements MigrationInterface {
  name = 'ReferenceLedgerFromUsageEvents1764800500300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE usage_events RENAME COLUMN ledger_transaction_id TO ledger_reference`);
    await queryRunner.query(`ALTER TABLE usage_events DROP COLUMN subsidy`);
    await queryRunner.query(`ALTER TABLE usage_event_keys ADD COLUMN ledger_reference text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE usage_event_keys DROP COLUMN ledger_reference`);
    await queryRunner.query(`ALTER TABLE usage_events ADD COLUMN subsidy numeric(38, 0) NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE usage_events RENAME COLUMN ledger_reference TO ledger_transaction_id`);
  }
}
