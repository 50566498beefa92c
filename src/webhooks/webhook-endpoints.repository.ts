import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, LessThan, Repository } from 'typeorm';
import { WebhookEndpoint, type WebhookEndpointDisabledReason } from './webhook-endpoint.entity.js';

@Injectable()
export class WebhookEndpointsRepository {
  constructor(@InjectRepository(WebhookEndpoint) private readonly endpoints: Repository<WebhookEndpoint>) {}

  async insert(manager: EntityManager, endpoint: WebhookEndpoint): Promise<void> {
    await manager.insert(WebhookEndpoint, endpoint);
  }

  /** Serialises endpoint creation per account, so the per-account limit holds under concurrency. */
  async lockAccountEndpoints(manager: EntityManager, accountId: string): Promise<number> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('webhook_endpoints:' || $1, 0))`, [accountId]);
    return manager.countBy(WebhookEndpoint, { accountId });
  }

  /** Tenant-scoped; locks the row when a transaction is given. */
  find(accountId: string, id: string, manager?: EntityManager): Promise<WebhookEndpoint | null> {
    return (manager ?? this.endpoints.manager).findOne(WebhookEndpoint, {
      where: { accountId, id },
      lock: manager ? { mode: 'pessimistic_write' } : undefined,
    });
  }

  findById(id: string): Promise<WebhookEndpoint | null> {
    return this.endpoints.findOneBy({ id });
  }

  list(accountId: string, limit: number, startingAfter?: string): Promise<WebhookEndpoint[]> {
    return this.endpoints.find({
      where: startingAfter ? { accountId, id: LessThan(startingAfter) } : { accountId },
      order: { id: 'DESC' },
      take: limit + 1,
    });
  }

  findEnabledForAccounts(manager: EntityManager, accountIds: string[]): Promise<WebhookEndpoint[]> {
    return manager.find(WebhookEndpoint, { where: { accountId: In(accountIds), enabled: true } });
  }

  async save(manager: EntityManager, endpoint: WebhookEndpoint): Promise<void> {
    endpoint.updatedAt = new Date();
    await manager.save(WebhookEndpoint, endpoint);
  }

  async delete(manager: EntityManager, endpoint: WebhookEndpoint): Promise<void> {
    await manager.delete(WebhookEndpoint, { id: endpoint.id, accountId: endpoint.accountId });
  }

  async disable(manager: EntityManager, id: string, reason: WebhookEndpointDisabledReason): Promise<void> {
    await manager.update(
      WebhookEndpoint,
      { id, enabled: true },
      { enabled: false, disabledReason: reason, updatedAt: new Date() },
    );
  }
}
