import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, LessThan, Repository } from 'typeorm';
import { TopUp } from './top-up.entity.js';

@Injectable()
export class WalletsRepository {
  constructor(@InjectRepository(TopUp) private readonly topUps: Repository<TopUp>) {}

  /** Records that the account has a wallet in this currency (idempotent). */
  async ensureWallet(manager: EntityManager, accountId: string, currency: string): Promise<void> {
    await manager.query(
      `INSERT INTO wallets (account_id, currency) VALUES ($1, $2) ON CONFLICT (account_id, currency) DO NOTHING`,
      [accountId, currency],
    );
  }

  async walletCurrencies(accountId: string): Promise<string[]> {
    const rows: Array<{ currency: string }> = await this.topUps.manager.query(
      `SELECT currency FROM wallets WHERE account_id = $1 ORDER BY currency`,
      [accountId],
    );
    return rows.map((row) => row.currency);
  }

  async insertTopUp(manager: EntityManager, topUp: TopUp): Promise<void> {
    await manager.insert(TopUp, topUp);
  }

  async saveTopUp(manager: EntityManager, topUp: TopUp): Promise<void> {
    topUp.updatedAt = new Date();
    await manager.save(TopUp, topUp);
  }

  findTopUp(accountId: string, id: string): Promise<TopUp | null> {
    return this.topUps.findOneBy({ accountId, id });
  }

  lockTopUp(manager: EntityManager, id: string): Promise<TopUp | null> {
    return manager.findOne(TopUp, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The account's own top-up, locked; null for another account's (which the caller answers 404 for). */
  lockAccountTopUp(manager: EntityManager, accountId: string, id: string): Promise<TopUp | null> {
    return manager.findOne(TopUp, { where: { accountId, id }, lock: { mode: 'pessimistic_write' } });
  }

  lockTopUpByProviderPayment(
    manager: EntityManager,
    provider: string,
    providerPaymentId: string,
  ): Promise<TopUp | null> {
    return manager.findOne(TopUp, { where: { provider, providerPaymentId }, lock: { mode: 'pessimistic_write' } });
  }

  listTopUps(accountId: string, limit: number, startingAfter?: string): Promise<TopUp[]> {
    return this.topUps.find({
      where: startingAfter ? { accountId, id: LessThan(startingAfter) } : { accountId },
      order: { id: 'DESC' },
      take: limit + 1,
    });
  }
}
