import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Paid payouts share one ledger transaction per worker batch (in-transit → provider clearing); each keeps its id. */
export class AddPayoutPaidTransaction1764800400100 implements MigrationInterface {
  name = 'AddPayoutPaidTransaction1764800400100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE payouts ADD COLUMN paid_transaction_id text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE payouts DROP COLUMN paid_transaction_id`);
  }
}
