import { Inject, Injectable } from '@nestjs/common';
import { formatAmount } from '../../../libs/money/src/index.js';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.tokens.js';
import type { PayerUsageTotalView, PayerUsageView } from '../dto/payer-usage.dto.js';
import { QUANTITY_FIELDS } from '../usage-event.js';
import { UsageReportsRepository } from './usage-reports.repository.js';

const DAY_MS = 86_400_000;

/**
 * What a payer's wallet paid for token usage in [from, to), by vendor and product, for the payer's AI bill.
 * Periods are by charge time (when the wallet moved), so the amounts equal the wallet's usage_charge entries.
 */
@Injectable()
export class PayerUsageService {
  constructor(
    private readonly repository: UsageReportsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async usageFor(payerAccountId: string, from: Date, to: Date): Promise<PayerUsageView> {
    const rows = await this.repository.payerUsage(payerAccountId, from, to, (this.config.usageMaxAgeDays + 1) * DAY_MS);
    const totals = new Map<string, { amount: bigint; events: number }>();
    for (const row of rows) {
      const total = totals.get(row.currency) ?? { amount: 0n, events: 0 };
      total.amount += row.amount;
      total.events += row.events;
      totals.set(row.currency, total);
    }
    return {
      lines: rows.map((row) => ({
        amount: formatAmount(row.amount, row.currency),
        currency: row.currency,
        events: row.events,
        product: row.productId,
        quantities: Object.fromEntries(QUANTITY_FIELDS.map((field) => [field, Number(row.quantities[field])])),
        vendor: row.vendorAccountId,
      })),
      totals: [...totals]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([currency, total]): PayerUsageTotalView => ({
          amount: formatAmount(total.amount, currency),
          currency,
          events: total.events,
        })),
    };
  }
}
