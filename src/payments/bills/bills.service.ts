import { Injectable } from '@nestjs/common';
import { formatAmount } from '../../../libs/money/src/index.js';
import { ApiError } from '../../common/errors/api-error.js';
import { unixSeconds } from '../../common/pagination/pagination.js';
import { presentPayment } from '../payment.presenter.js';
import type { BillAttemptsView, BillGroup, BillQuery, BillTotalView, BillView } from './bill.dto.js';
import { PayerUsageService } from '../../metering/reports/payer-usage.service.js';
import { BillsRepository } from './bills.repository.js';

const LISTED_ATTEMPTS = 100;

/** What a payer's agents spent in a period, grouped as asked; totals match the wallet's ledger to the nano. */
@Injectable()
export class BillsService {
  constructor(
    private readonly repository: BillsRepository,
    private readonly usage: PayerUsageService,
  ) {}

  async bill(payerAccountId: string, query: BillQuery): Promise<BillView> {
    const now = new Date();
    const from =
      query.from !== undefined
        ? new Date(query.from * 1000)
        : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const to = query.to !== undefined ? new Date(query.to * 1000) : now;
    if (to.getTime() <= from.getTime()) throw ApiError.badRequest('invalid_period', 'to must be after from.', 'to');
    const group: BillGroup = query.group_by ?? 'agent';
    const rows = await this.repository.lines(payerAccountId, group, from, to);
    const totals = new Map<string, BillTotalView & { raw: { amount: bigint; refunded: bigint } }>();
    const lines = rows.map((row) => {
      const total = totals.get(row.currency) ?? {
        amount: '',
        currency: row.currency,
        net: '',
        payments_count: 0,
        refunded: '',
        refunds_count: 0,
        raw: { amount: 0n, refunded: 0n },
      };
      total.raw.amount += row.amount;
      total.raw.refunded += row.refunded;
      total.payments_count += row.paymentsCount;
      total.refunds_count += row.refundsCount;
      totals.set(row.currency, total);
      return {
        amount: formatAmount(row.amount, row.currency),
        currency: row.currency,
        key: row.key,
        net: formatAmount(row.amount - row.refunded, row.currency),
        payments_count: row.paymentsCount,
        refunded: formatAmount(row.refunded, row.currency),
        refunds_count: row.refundsCount,
      };
    });
    return {
      object: 'bill',
      declined: await this.attempts(payerAccountId, 'failed', from, to),
      from: unixSeconds(from),
      group_by: group,
      lines,
      pending_confirmation: await this.attempts(payerAccountId, 'requires_confirmation', from, to),
      to: unixSeconds(to),
      totals: [...totals.values()]
        .sort((a, b) => (a.currency < b.currency ? -1 : 1))
        .map(({ raw, ...total }) => ({
          ...total,
          amount: formatAmount(raw.amount, total.currency),
          net: formatAmount(raw.amount - raw.refunded, total.currency),
          refunded: formatAmount(raw.refunded, total.currency),
        })),
      usage: await this.usage.usageFor(payerAccountId, from, to),
    };
  }

  private async attempts(
    payerAccountId: string,
    status: 'failed' | 'requires_confirmation',
    from: Date,
    to: Date,
  ): Promise<BillAttemptsView> {
    const totals = await this.repository.attemptTotals(payerAccountId, status, from, to);
    const latest = await this.repository.latestAttempts(payerAccountId, status, from, to, LISTED_ATTEMPTS);
    return {
      count: totals.reduce((sum, row) => sum + row.count, 0),
      data: latest.map((payment) => presentPayment(payment, payerAccountId)),
      totals: totals.map((row) => ({
        amount: formatAmount(row.amount, row.currency),
        currency: row.currency,
        payments_count: row.count,
      })),
    };
  }
}
