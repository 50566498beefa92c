import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, LessThanOrEqual, Repository } from 'typeorm';
import { Payment } from './payment.entity.js';
import { Refund } from './refund.entity.js';

@Injectable()
export class PaymentsRepository {
  constructor(
    @InjectRepository(Payment) private readonly payments: Repository<Payment>,
    @InjectRepository(Refund) private readonly refunds: Repository<Refund>,
  ) {}

  async insertPayment(manager: EntityManager, payment: Payment): Promise<void> {
    await manager.insert(Payment, payment);
  }

  async savePayment(manager: EntityManager, payment: Payment): Promise<void> {
    payment.updatedAt = new Date();
    await manager.save(Payment, payment);
  }

  /** A payment the account made or received; anyone else gets null. */
  async findVisiblePayment(accountId: string, id: string): Promise<Payment | null> {
    const payment = await this.payments.findOneBy({ id });
    return payment && (payment.payerAccountId === accountId || payment.receiverAccountId === accountId)
      ? payment
      : null;
  }

  lockPayment(manager: EntityManager, id: string): Promise<Payment | null> {
    return manager.findOne(Payment, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  listVisiblePayments(
    accountId: string,
    role: 'payer' | 'receiver' | undefined,
    limit: number,
    startingAfter?: string,
  ): Promise<Payment[]> {
    const query = this.payments.createQueryBuilder('p');
    query.where(
      new Brackets((visible) => {
        if (role !== 'receiver') visible.orWhere('p.payer_account_id = :accountId', { accountId });
        if (role !== 'payer') visible.orWhere('p.receiver_account_id = :accountId', { accountId });
      }),
    );
    if (startingAfter) query.andWhere('p.id < :startingAfter', { startingAfter });
    return query
      .orderBy('p.id', 'DESC')
      .take(limit + 1)
      .getMany();
  }

  /** Payments whose confirmation window closed, locked; rows another sweeper holds are skipped. */
  lockUnconfirmedExpired(manager: EntityManager, now: Date, limit: number): Promise<Payment[]> {
    return manager.find(Payment, {
      where: { status: 'requires_confirmation', confirmationExpiresAt: LessThanOrEqual(now) },
      order: { confirmationExpiresAt: 'ASC' },
      take: limit,
      lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
    });
  }

  async insertRefund(manager: EntityManager, refund: Refund): Promise<void> {
    await manager.insert(Refund, refund);
  }

  findReceiverRefund(receiverAccountId: string, id: string): Promise<Refund | null> {
    return this.refunds.findOneBy({ receiverAccountId, id });
  }
}
