import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface NewOutboxMessage {
  queue: string;
  name: string;
  jobId: string;
  payload: object;
  delayMs: number;
}

export interface DueOutboxMessage {
  id: string;
  queue: string;
  name: string;
  jobId: string;
  payload: Record<string, unknown>;
}

@Injectable()
export class OutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, messages: NewOutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await manager.query(
      `INSERT INTO outbox_messages (queue, name, job_id, payload, available_at)
       SELECT q, n, j, p, now() + make_interval(secs => d / 1000.0)
         FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::bigint[]) AS m (q, n, j, p, d)`,
      [
        messages.map((m) => m.queue),
        messages.map((m) => m.name),
        messages.map((m) => m.jobId),
        messages.map((m) => JSON.stringify(m.payload)),
        messages.map((m) => String(m.delayMs)),
      ],
    );
  }

  /** Locks due messages; concurrent relays skip each other's rows instead of waiting for them. */
  async claimDue(manager: EntityManager, limit: number): Promise<DueOutboxMessage[]> {
    const rows: Array<{ id: string; queue: string; name: string; job_id: string; payload: Record<string, unknown> }> =
      await manager.query(
        `SELECT id, queue, name, job_id, payload FROM outbox_messages
          WHERE dispatched_at IS NULL AND available_at <= now()
          ORDER BY available_at, id
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        [limit],
      );
    return rows.map((row) => ({
      id: String(row.id),
      queue: row.queue,
      name: row.name,
      jobId: row.job_id,
      payload: row.payload,
    }));
  }

  async markDispatched(manager: EntityManager, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(`UPDATE outbox_messages SET dispatched_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
  }

  /** Puts messages back with a growing pause (capped at a minute) after the queue refused them. */
  async postpone(manager: EntityManager, ids: string[], error: string): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(
      `UPDATE outbox_messages
          SET relay_failures = relay_failures + 1, last_error = $2,
              available_at = now() + make_interval(secs => least(60, power(2, relay_failures)))
        WHERE id = ANY($1::bigint[])`,
      [ids, error.slice(0, 1000)],
    );
  }

  async deleteDispatchedBefore(cutoff: Date, limit: number): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `DELETE FROM outbox_messages WHERE id IN (
         SELECT id FROM outbox_messages WHERE dispatched_at < $1 LIMIT $2
       ) RETURNING 1`,
      [cutoff, limit],
    );
    return rows.length;
  }
}
