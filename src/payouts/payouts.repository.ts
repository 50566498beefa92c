import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, LessThan, Repository } from 'typeorm';
import { Payout, PayoutStatus } from './payout.entity.js';

export interface PayoutListFilter {
  status?: PayoutStatus;
  limit: number;
  startingAfter?: string;
}

@Injectable()
export class PayoutsRepository {
  constructor(@InjectRepository(Payout) private readonly payouts: Repository<Payout>) {}

  async insertMany(manager: EntityManager, payouts: Payout[]): Promise<void> {
    if (payouts.length) await manager.insert(Payout, payouts);
  }

  /** Tenant-scoped: another account's payout is not found. */
  find(accountId: string, id: string): Promise<Payout | null> {
    return this.payouts.findOneBy({ accountId, id });
  }

  findAny(id: string): Promise<Payout | null> {
    return this.payouts.findOneBy({ id });
  }

  lock(manager: EntityManager, id: string): Promise<Payout | null> {
    return manager.findOne(Payout, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async lockByProviderReference(
    manager: EntityManager,
    provider: string,
    reference: { providerPayoutId?: string | null; providerTransferId?: string | null },
  ): Promise<Payout | null> {
    if (reference.providerPayoutId) {
      const byPayout = await manager.findOne(Payout, {
        where: { provider, providerPayoutId: reference.providerPayoutId },
        lock: { mode: 'pessimistic_write' },
      });
      if (byPayout) return byPayout;
    }
    if (reference.providerTransferId) {
      return manager.findOne(Payout, {
        where: { provider, providerTransferId: reference.providerTransferId },
        lock: { mode: 'pessimistic_write' },
      });
    }
    return null;
  }

  async save(manager: EntityManager, payout: Payout): Promise<void> {
    await manager.save(Payout, payout);
  }

  /**
   * Marks a pending payout as handed to the provider (it can no longer be canceled) and returns it; null when it
   * is not pending any more. One statement, so it needs no surrounding transaction.
   */
  async claimForSubmission(id: string, now: Date): Promise<Payout | null> {
    const [rows] = (await this.payouts.query(
      `UPDATE payouts SET submitted_at = coalesce(submitted_at, $2), updated_at = $2
        WHERE id = $1 AND status = 'pending'
        RETURNING id`,
      [id, now],
    )) as [Array<{ id: string }>, number];
    return rows.length ? this.payouts.findOneBy({ id }) : null;
  }

  list(accountId: string, filter: PayoutListFilter): Promise<Payout[]> {
    return this.payouts.find({
      where: {
        accountId,
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.startingAfter ? { id: LessThan(filter.startingAfter) } : {}),
      },
      order: { id: 'DESC' },
      take: filter.limit + 1,
    });
  }

  /** Pending payouts not touched since `before`: their job may have been lost with a Redis restart. */
  async stalePending(before: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.payouts.query(
      `SELECT id FROM payouts WHERE status = 'pending' AND updated_at < $1 ORDER BY id LIMIT $2`,
      [before, limit],
    );
    return rows.map((row) => row.id);
  }

  async touch(manager: EntityManager, ids: string[], now: Date): Promise<void> {
    if (ids.length) await manager.update(Payout, { id: In(ids), status: 'pending' }, { updatedAt: now });
  }

  /** Payouts whose hold is in the account's available balance, oldest first (reconciliation windows). */
  async holdsOf(accountId: string, currency: string): Promise<Array<{ id: string; holdTransactionId: string }>> {
    const rows: Array<{ id: string; hold_transaction_id: string }> = await this.payouts.query(
      `SELECT id, hold_transaction_id FROM payouts WHERE account_id = $1 AND currency = $2 ORDER BY id`,
      [accountId, currency],
    );
    return rows.map((row) => ({ id: row.id, holdTransactionId: row.hold_transaction_id }));
  }
}
