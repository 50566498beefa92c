import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, LessThan, Repository } from 'typeorm';
import { Payout, PayoutStatus } from './payout.entity.js';

export interface PayoutListFilter {
  status?: PayoutStatus;
  limit: number;
  startingAfter?: string;
}

interface PayoutRow {
  id: string;
  account_id: string;
  amount: string;
  currency: string;
  status: PayoutStatus;
  automatic: boolean;
  scheduled_for: string | null;
  description: string | null;
  destination: Payout['destination'];
  provider: string;
  idempotency_key: string;
  provider_transfer_id: string | null;
  provider_payout_id: string | null;
  hold_transaction_id: string;
  paid_transaction_id: string | null;
  returned: boolean;
  failure_code: string | null;
  failure_message: string | null;
  submitted_at: Date | null;
  arrival_date: Date | null;
  paid_at: Date | null;
  failed_at: Date | null;
  canceled_at: Date | null;
  metadata: Record<string, string>;
  created_at: Date;
  updated_at: Date;
}

/** A row read with plain SQL (RETURNING *), as the entity. `date` columns come back as text, like TypeORM's. */
function payoutFromRow(row: PayoutRow): Payout {
  return Object.assign(new Payout(), {
    id: row.id,
    accountId: row.account_id,
    amount: BigInt(row.amount),
    currency: row.currency,
    status: row.status,
    automatic: row.automatic,
    scheduledFor: row.scheduled_for,
    description: row.description,
    destination: row.destination,
    provider: row.provider,
    idempotencyKey: row.idempotency_key,
    providerTransferId: row.provider_transfer_id,
    providerPayoutId: row.provider_payout_id,
    holdTransactionId: row.hold_transaction_id,
    paidTransactionId: row.paid_transaction_id,
    returned: row.returned,
    failureCode: row.failure_code,
    failureMessage: row.failure_message,
    submittedAt: row.submitted_at,
    arrivalDate: row.arrival_date,
    paidAt: row.paid_at,
    failedAt: row.failed_at,
    canceledAt: row.canceled_at,
    metadata: row.metadata,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  } satisfies Payout);
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

  /** Writes the fields a state change may touch, for many payouts in one statement (no read first). */
  async saveStates(manager: EntityManager, payouts: Payout[]): Promise<void> {
    if (payouts.length === 0) return;
    const column = <T>(pick: (payout: Payout) => T) => payouts.map(pick);
    const text = (value: Date | null) => (value ? value.toISOString() : null);
    await manager.query(
      `UPDATE payouts p
          SET status = u.status, provider_payout_id = u.provider_payout_id,
              provider_transfer_id = u.provider_transfer_id, arrival_date = u.arrival_date, returned = u.returned,
              failure_code = u.failure_code, failure_message = u.failure_message, paid_at = u.paid_at,
              failed_at = u.failed_at, canceled_at = u.canceled_at, updated_at = u.updated_at,
              paid_transaction_id = u.paid_transaction_id
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::boolean[], $7::text[],
                     $8::text[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[],
                     $13::text[])
           AS u(id, status, provider_payout_id, provider_transfer_id, arrival_date, returned, failure_code,
                failure_message, paid_at, failed_at, canceled_at, updated_at, paid_transaction_id)
        WHERE p.id = u.id`,
      [
        column((p) => p.id),
        column((p) => p.status),
        column((p) => p.providerPayoutId),
        column((p) => p.providerTransferId),
        column((p) => text(p.arrivalDate)),
        column((p) => p.returned),
        column((p) => p.failureCode),
        column((p) => p.failureMessage),
        column((p) => text(p.paidAt)),
        column((p) => text(p.failedAt)),
        column((p) => text(p.canceledAt)),
        column((p) => text(p.updatedAt)),
        column((p) => p.paidTransactionId),
      ],
    );
  }

  /** Locks payouts in id order (so two batches never deadlock on each other). */
  async lockMany(manager: EntityManager, ids: string[]): Promise<Payout[]> {
    const rows: PayoutRow[] = await manager.query(
      `SELECT * FROM payouts WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
      [ids],
    );
    return rows.map(payoutFromRow);
  }

  /**
   * Marks pending payouts as handed to the provider (they can no longer be canceled) and returns them; the
   * others (already sent and answered, canceled, or created on another rail) are left out. One statement.
   */
  async claimForSubmission(ids: string[], provider: string, now: Date): Promise<Payout[]> {
    const [rows] = (await this.payouts.query(
      `UPDATE payouts SET submitted_at = coalesce(submitted_at, $2), updated_at = $2
        WHERE id = ANY($1::text[]) AND status = 'pending' AND provider = $3
        RETURNING *`,
      [ids, now, provider],
    )) as [PayoutRow[], number];
    return rows.map(payoutFromRow);
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
  async stalePending(provider: string, before: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.payouts.query(
      `SELECT id FROM payouts WHERE status = 'pending' AND provider = $1 AND updated_at < $2 ORDER BY id LIMIT $3`,
      [provider, before, limit],
    );
    return rows.map((row) => row.id);
  }

  async touch(manager: EntityManager, ids: string[], now: Date): Promise<void> {
    if (ids.length) await manager.update(Payout, { id: In(ids), status: 'pending' }, { updatedAt: now });
  }
}
