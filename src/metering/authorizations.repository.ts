import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, LessThan, LessThanOrEqual, Repository } from 'typeorm';
import { UsageAuthorization } from './usage-authorization.entity.js';

@Injectable()
export class AuthorizationsRepository {
  constructor(@InjectRepository(UsageAuthorization) private readonly authorizations: Repository<UsageAuthorization>) {}

  async insert(manager: EntityManager, authorization: UsageAuthorization): Promise<void> {
    await manager.insert(UsageAuthorization, authorization);
  }

  /** Tenant-scoped: another vendor's authorization is not found. */
  find(accountId: string, id: string): Promise<UsageAuthorization | null> {
    return this.authorizations.findOneBy({ accountId, id });
  }

  findMany(accountId: string, ids: string[]): Promise<UsageAuthorization[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.authorizations.findBy({ accountId, id: In(ids) });
  }

  /** Locks the vendor's authorizations (in id order, so concurrent lockers queue instead of deadlocking). */
  lockMany(manager: EntityManager, accountId: string, ids: string[]): Promise<UsageAuthorization[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return manager.find(UsageAuthorization, {
      where: { accountId, id: In(ids) },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  async save(manager: EntityManager, authorization: UsageAuthorization): Promise<void> {
    await manager.update(
      UsageAuthorization,
      { id: authorization.id },
      {
        captured: authorization.captured,
        capturedFee: authorization.capturedFee,
        status: authorization.status,
        holdTransactionId: authorization.holdTransactionId,
        closedAt: authorization.closedAt,
        updatedAt: authorization.updatedAt,
      },
    );
  }

  list(accountId: string, limit: number, startingAfter?: string): Promise<UsageAuthorization[]> {
    return this.authorizations.find({
      where: startingAfter ? { accountId, id: LessThan(startingAfter) } : { accountId },
      order: { id: 'DESC' },
      take: limit + 1,
    });
  }

  /** Active authorizations past their expiry, locked; ones another sweeper holds are skipped. */
  lockExpired(manager: EntityManager, now: Date, limit: number): Promise<UsageAuthorization[]> {
    return manager.find(UsageAuthorization, {
      where: { status: 'active', expiresAt: LessThanOrEqual(now) },
      order: { expiresAt: 'ASC' },
      take: limit,
      lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
    });
  }
}
