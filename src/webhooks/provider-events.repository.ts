import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import type { ProviderEvent } from '../providers/provider-event.js';
import { ProviderEventRecord } from './provider-event.entity.js';

@Injectable()
export class ProviderEventsRepository {
  constructor(@InjectRepository(ProviderEventRecord) private readonly events: Repository<ProviderEventRecord>) {}

  /** Stores the event unless its id was stored before; true when this call stored it. */
  async insertOnce(manager: EntityManager, event: ProviderEvent): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO provider_events (provider, id, type, provider_account_id, payload)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (provider, id) DO NOTHING RETURNING 1`,
      [event.provider, event.id, event.type, event.providerAccountId, JSON.stringify(event.payload)],
    );
    return rows.length === 1;
  }

  find(provider: string, id: string, manager?: EntityManager): Promise<ProviderEventRecord | null> {
    return (manager ?? this.events.manager).findOneBy(ProviderEventRecord, { provider, id });
  }

  async markProcessed(provider: string, id: string): Promise<void> {
    await this.events.update({ provider, id, processedAt: IsNull() }, { processedAt: new Date() });
  }
}
