import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { defaultPayoutSettings, PayoutSettings } from './payout-settings.entity.js';

@Injectable()
export class PayoutSettingsRepository {
  constructor(@InjectRepository(PayoutSettings) private readonly settings: Repository<PayoutSettings>) {}

  find(accountId: string, manager?: EntityManager): Promise<PayoutSettings | null> {
    return (manager ?? this.settings.manager).findOneBy(PayoutSettings, { accountId });
  }

  /** The account's settings row, created with the defaults if missing, locked for the caller's transaction. */
  async lockOrCreate(manager: EntityManager, accountId: string, now: Date): Promise<PayoutSettings> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(PayoutSettings)
      .values(defaultPayoutSettings(accountId, now))
      .orIgnore()
      .execute();
    return manager.findOneOrFail(PayoutSettings, { where: { accountId }, lock: { mode: 'pessimistic_write' } });
  }

  async save(manager: EntityManager, settings: PayoutSettings): Promise<void> {
    await manager.save(PayoutSettings, settings);
  }
}
