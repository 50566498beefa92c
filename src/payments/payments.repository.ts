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

  /** Plain SQL, all rows in one statement: this is on the hot path of every payment. */
  async insertPayments(manager: EntityManager, payments: Payment[]): Promise<void> {
    if (payments.length === 0) return;
    const big = (value: bigint) => value.toString();
    const values: unknown[] = [];
    const rows = payments.map((payment) => {
      const first = values.length;
      values.push(
        payment.id,
        payment.receiverAccountId,
        payment.payerAccountId,
        payment.mandateId,
        payment.agentId,
        payment.currency,
        big(payment.amount),
        big(payment.fee),
        payment.status,
        payment.declineCode,
        payment.declineMessage,
        payment.description,
        JSON.stringify(payment.metadata),
        payment.ledgerTransactionId,
        payment.holdTransactionId,
        payment.countedDay,
        big(payment.amountRefunded),
        big(payment.feeRefunded),
        payment.confirmationExpiresAt,
        payment.succeededAt,
        payment.canceledAt,
        payment.createdAt,
        payment.updatedAt,
      );
      return `(${Array.from({ length: values.length - first }, (_, i) => `$${first + i + 1}`).join(', ')})`;
    });
    await manager.query(
      `INSERT INTO payments (id, receiver_account_id, payer_account_id, mandate_id, agent_id, currency, amount, fee,
         status, decline_code, decline_message, description, metadata, ledger_transaction_id, hold_transaction_id,
         counted_day, amount_refunded, fee_refunded, confirmation_expires_at, succeeded_at, canceled_at, created_at,
         updated_at)
       VALUES ${rows.join(',\n         ')}`,
      values,
    );
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
