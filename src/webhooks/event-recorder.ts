import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { newId } from '../common/ids.js';

export interface EventInput {
  accountId: string;
  type: string;
  /** The API representation of the object as it is after the change. */
  object: object;
  requestId?: string | null;
}

/**
 * Writes events into the outbox (the `events` table, plus a row in `event_dispatch_queue` for the webhook
 * fan-out) inside the caller's transaction, in one statement, so an event exists exactly when its state change
 * committed. The webhook relay delivers them after commit.
 */
@Injectable()
export class EventRecorder {
  async record(manager: EntityManager, event: EventInput): Promise<string> {
    const id = newId('evt');
    await manager.query(
      `WITH e AS (INSERT INTO events (id, account_id, type, data, request_id) VALUES ($1, $2, $3, $4, $5) RETURNING id)
       INSERT INTO event_dispatch_queue (event_id) SELECT id FROM e`,
      [id, event.accountId, event.type, JSON.stringify({ object: event.object }), event.requestId ?? null],
    );
    return id;
  }

  async recordMany(manager: EntityManager, events: EventInput[]): Promise<void> {
    if (events.length === 0) return;
    const ids = events.map(() => newId('evt'));
    await manager.query(
      `WITH e AS (
         INSERT INTO events (id, account_id, type, data, request_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::text[])
         RETURNING id)
       INSERT INTO event_dispatch_queue (event_id) SELECT id FROM e`,
      [
        ids,
        events.map((e) => e.accountId),
        events.map((e) => e.type),
        events.map((e) => JSON.stringify({ object: e.object })),
        events.map((e) => e.requestId ?? null),
      ],
    );
  }
}
