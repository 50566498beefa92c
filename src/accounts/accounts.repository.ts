import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, LessThan, Repository } from 'typeorm';
import { Account } from './account.entity.js';
import { ApiKey } from './api-key.entity.js';

@Injectable()
export class AccountsRepository {
  constructor(
    @InjectRepository(Account) private readonly accounts: Repository<Account>,
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
  ) {}

  async insertAccount(manager: EntityManager, account: Account): Promise<void> {
    await manager.insert(Account, account);
  }

  async insertKey(manager: EntityManager, key: ApiKey): Promise<void> {
    await manager.insert(ApiKey, key);
  }

  findAccount(id: string): Promise<Account | null> {
    return this.accounts.findOneBy({ id });
  }

  findAccountByProviderId(provider: string, providerAccountId: string): Promise<Account | null> {
    return this.accounts.findOneBy({ provider, providerAccountId });
  }

  /** Locks the account row for a state change made in `manager`'s transaction. */
  lockAccount(manager: EntityManager, id: string): Promise<Account | null> {
    return manager.findOne(Account, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async saveAccount(manager: EntityManager, account: Account): Promise<void> {
    account.updatedAt = new Date();
    await manager.save(Account, account);
  }

  listAccounts(limit: number, startingAfter?: string): Promise<Account[]> {
    return this.accounts.find({
      where: startingAfter ? { id: LessThan(startingAfter) } : {},
      order: { id: 'DESC' },
      take: limit + 1,
    });
  }

  /** Tenant-scoped: a key of another account is not found. */
  findKey(accountId: string, id: string, manager?: EntityManager): Promise<ApiKey | null> {
    return (manager ?? this.keys.manager).findOne(ApiKey, {
      where: { accountId, id },
      lock: manager ? { mode: 'pessimistic_write' } : undefined,
    });
  }

  listKeys(accountId: string, limit: number, startingAfter?: string): Promise<ApiKey[]> {
    return this.keys.find({
      where: startingAfter ? { accountId, id: LessThan(startingAfter) } : { accountId },
      order: { id: 'DESC' },
      take: limit + 1,
    });
  }

  async saveKey(manager: EntityManager, key: ApiKey): Promise<void> {
    await manager.save(ApiKey, key);
  }
}
