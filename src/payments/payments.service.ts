import { Injectable } from '@nestjs/common';
import { ApiError } from '../common/errors/api-error.js';
import { ListPage, toPage } from '../common/pagination/pagination.js';
import type { PaymentView } from './dto/payment.dto.js';
import { presentPayment } from './payment.presenter.js';
import { PaymentsRepository } from './payments.repository.js';

@Injectable()
export class PaymentsService {
  constructor(private readonly repository: PaymentsRepository) {}

  async get(accountId: string, id: string): Promise<PaymentView> {
    const payment = await this.repository.findVisiblePayment(accountId, id);
    if (!payment) throw ApiError.notFound('payment', id);
    return presentPayment(payment, accountId);
  }

  async list(
    accountId: string,
    role: 'payer' | 'receiver' | undefined,
    limit: number,
    startingAfter?: string,
  ): Promise<ListPage<PaymentView>> {
    const rows = await this.repository.listVisiblePayments(accountId, role, limit, startingAfter);
    return toPage(rows, limit, (payment) => presentPayment(payment, accountId));
  }
}
