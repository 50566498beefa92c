import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events waiting for the webhook fan-out are listed in a small queue table instead of being flagged on the event
 * row. Marking an event dispatched used to update its row, which (the flag being in a partial index) wrote a new
 * version of the row into every index of `events`; now events are written once and never changed, and the
 * fan-out deletes the queue rows it handled.
 */
export class QueueEventsForDispatch1764800700000 implements MigrationInterface {
  name = 'QueueEventsForDispatch1764800700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE event_dispatch_queue (event_id text PRIMARY KEY)`);
    // Rows come and go thousands of times a second: vacuum it after every thousand deletions, not a fifth of it.
    await queryRunner.query(
      `ALTER TABLE event_dispatch_queue SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000)`,
    );
    await queryRunner.query(
      `INSERT INTO event_dispatch_queue (event_id) SELECT id FROM events WHERE dispatched_at IS NULL`,
    );
    await queryRunner.query(`DROP INDEX events_undispatched`);
    await queryRunner.query(`ALTER TABLE events DROP COLUMN dispatched_at`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE events ADD COLUMN dispatched_at timestamptz`);
    await queryRunner.query(
      `UPDATE events SET dispatched_at = created_at WHERE id NOT IN (SELECT event_id FROM event_dispatch_queue)`,
    );
    await queryRunner.query(`CREATE INDEX events_undispatched ON events (id) WHERE dispatched_at IS NULL`);
    await queryRunner.query(`DROP TABLE event_dispatch_queue`);
  }
}
