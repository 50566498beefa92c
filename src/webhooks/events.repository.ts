import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { EventRecord } from './event.entity.js';

export interface UndispatchedEvent {
  id: string;
  accountId: string;
  type: string;
  createdAt: Date;
}

@Injectable()
export class EventsRepository {
  constructor(@InjectRepository(EventRecord) private readonly events: Repository<EventRecord>) {}

  /** Tenant-scoped: another account's event is not found. */
  find(accountId: string, id: string, manager?: EntityManager): Promise<EventRecord | null> {
    return (manager ?? this.events.manager).findOneBy(EventRecord, { accountId, id });
  }

  findById(id: string): Promise<EventRecord | null> {
    return this.events.findOneBy({ id });
  }

  /** Newest first; `type` is an exact type or a family such as `account.*`. */
  async list(accountId: string, limit: number, startingAfter?: string, type?: string): Promise<EventRecord[]> {
    const query = this.events
      .createQueryBuilder('event')
      .where('event.account_id = :accountId', { accountId })
      .orderBy('event.id', 'DESC')
      .take(limit + 1);
    if (startingAfter) query.andWhere('event.id < :startingAfter', { startingAfter });
    if (type?.endsWith('.*')) {
      const prefix = type.slice(0, -1).replace(/[\\%_]/g, '\\$&');
      query.andWhere('event.type LIKE :prefix', { prefix: `${prefix}%` });
    } else if (type) query.andWhere('event.type = :type', { type });
    return query.getMany();
  }

  /** Locks a batch of committed events waiting in the dispatch queue, oldest first; other relays skip them. */
  async claimUndispatched(manager: EntityManager, limit: number): Promise<UndispatchedEvent[]> {
    const rows: Array<{ id: string; account_id: string; type: string; created_at: Date }> = await manager.query(
      `SELECT e.id, e.account_id, e.type, e.created_at
         FROM (SELECT event_id FROM event_dispatch_queue ORDER BY event_id LIMIT $1 FOR UPDATE SKIP LOCKED) q
         JOIN events e ON e.id = q.event_id
        ORDER BY e.id`,
      [limit],
    );
    return rows.map((row) => ({ id: row.id, accountId: row.account_id, type: row.type, createdAt: row.created_at }));
  }

  /**
   * Outside any transaction; skipped when another process is vacuuming it. Without truncating: the queue fills
   * again at once, and giving its empty pages back would take a lock that stops every writer of an event.
   */
  async vacuumDispatchQueue(): Promise<void> {
    await this.events.manager.query('VACUUM (SKIP_LOCKED, TRUNCATE false) event_dispatch_queue');
  }

  /** Takes handled events off the dispatch queue (the events themselves are never changed). */
  async markDispatched(manager: EntityManager, ids: string[]): Promise<void> {
    await manager.query(`DELETE FROM event_dispatch_queue WHERE event_id = ANY($1::text[])`, [ids]);
  }
}
