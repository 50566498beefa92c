import { Inject, Injectable } from '@nestjs/common';
import { allocate, formatAmount } from '../../../libs/money/src/index.js';
import { ApiError } from '../../common/errors/api-error.js';
import { ListPage, toPage, unixSeconds } from '../../common/pagination/pagination.js';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.tokens.js';
import type { ListUsageEventsQuery, UsageEventView, UsageQuantitiesView } from '../dto/usage-event.dto.js';
import type {
  SummaryGroup,
  UsageSummaryLineView,
  UsageSummaryQuery,
  UsageSummaryTotalView,
  UsageSummaryView,
} from '../dto/usage-summary.dto.js';
import { QUANTITY_FIELDS, type QuantityField } from '../usage-event.js';
import { TOKEN_CLASS_OF } from '../usage-rating.js';
import { type TokenClassRow, UsageReportsRepository, type UsageEventRow } from './usage-reports.repository.js';

const DAY_MS = 86_400_000;

function quantitiesView(quantities: Record<QuantityField, bigint>, only?: QuantityField): UsageQuantitiesView {
  const view: UsageQuantitiesView = {};
  for (const field of QUANTITY_FIELDS) {
    if (only === undefined || only === field) view[field] = Number(quantities[field]);
  }
  return view;
}

function money(nanos: bigint | null, currency: string | null): string | null {
  return nanos === null || currency === null ? null : formatAmount(nanos, currency);
}

export function presentUsageEvent(row: UsageEventRow): UsageEventView {
  return {
    id: row.id,
    object: 'usage_event',
    amount: money(row.amount, row.currency),
    authorization: row.authorizationId,
    code: row.code,
    created: unixSeconds(row.createdAt),
    currency: row.currency,
    event_id: row.eventId,
    fee: money(row.fee, row.currency),
    ledger_reference: row.ledgerReference,
    mandate: row.mandateId,
    message: row.message,
    metadata: row.metadata,
    outcome: row.outcome,
    payer: row.payerAccountId,
    price: row.priceId,
    product: row.productId,
    quantities: row.quantities ? quantitiesView(row.quantities) : null,
    timestamp: row.occurredAt ? row.occurredAt.getTime() / 1000 : null,
  };
}

/** Vendors' usage lists and summaries; the summary's totals equal the ledger's usage charges to the nano. */
@Injectable()
export class UsageReportsService {
  constructor(
    private readonly repository: UsageReportsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(accountId: string, query: ListUsageEventsQuery, limit: number): Promise<ListPage<UsageEventView>> {
    const rows = await this.repository.listEvents(
      accountId,
      {
        productId: query.product,
        mandateId: query.mandate,
        createdGte: query.created_gte === undefined ? undefined : new Date(query.created_gte * 1000),
        createdLt: query.created_lt === undefined ? undefined : new Date(query.created_lt * 1000),
        outcome: query.outcome,
        maxAgeMs: (this.config.usageMaxAgeDays + 1) * DAY_MS,
      },
      limit,
      query.starting_after,
    );
    return toPage(rows, limit, presentUsageEvent);
  }

  async summary(accountId: string, query: UsageSummaryQuery): Promise<UsageSummaryView> {
    const now = new Date();
    const from =
      query.from !== undefined
        ? new Date(query.from * 1000)
        : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const to = query.to !== undefined ? new Date(query.to * 1000) : now;
    if (to.getTime() <= from.getTime()) throw ApiError.badRequest('invalid_period', 'to must be after from.', 'to');
    const group: SummaryGroup = query.group_by ?? 'product';
    const totals = new Map<string, { events: number; amount: bigint; fee: bigint }>();
    const count = (currency: string, events: number, amount: bigint, fee: bigint) => {
      const total = totals.get(currency) ?? { events: 0, amount: 0n, fee: 0n };
      total.events += events;
      total.amount += amount;
      total.fee += fee;
      totals.set(currency, total);
    };
    let data: UsageSummaryLineView[];
    if (group === 'token_class') {
      const rows = await this.repository.tokenClassSummary(accountId, from, to);
      for (const row of rows) count(row.currency, row.totalEvents, row.amount, row.fee);
      data = rows.flatMap(splitByTokenClass);
    } else {
      const rows = await this.repository.summary(accountId, group, from, to);
      for (const row of rows) count(row.currency, row.events, row.amount, row.fee);
      data = rows.map((row): UsageSummaryLineView => ({
        amount: formatAmount(row.amount, row.currency),
        currency: row.currency,
        events: row.events,
        fee: formatAmount(row.fee, row.currency),
        key: row.key,
        net: formatAmount(row.amount - row.fee, row.currency),
        quantities: quantitiesView(row.quantities),
      }));
    }
    return {
      object: 'usage_summary',
      data,
      from: unixSeconds(from),
      group_by: group,
      to: unixSeconds(to),
      totals: [...totals]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([currency, total]): UsageSummaryTotalView => ({
          amount: formatAmount(total.amount, currency),
          currency,
          events: total.events,
          fee: formatAmount(total.fee, currency),
          net: formatAmount(total.amount - total.fee, currency),
        })),
    };
  }
}

/**
 * One line per class for a currency. Events are rated as a whole and rounded once, so no per-class amount is
 * stored; the currency's amount and fee are split over the classes in proportion to their exact cost
 * (largest remainder), which keeps every line within a nano of its share and the lines' sum exact.
 */
function splitByTokenClass(row: TokenClassRow): UsageSummaryLineView[] {
  const classes = QUANTITY_FIELDS.filter((field) => row.quantities[field] > 0n);
  const weights = classes.map((field) => row.exactCost[field]);
  const split = (total: bigint): bigint[] =>
    weights.some((weight) => weight > 0n) ? allocate(total, weights) : classes.map((_, i) => (i === 0 ? total : 0n));
  const amounts = classes.length ? split(row.amount) : [];
  const fees = classes.length ? split(row.fee) : [];
  return classes.map((field, i) => ({
    amount: formatAmount(amounts[i], row.currency),
    currency: row.currency,
    events: row.events[field],
    fee: formatAmount(fees[i], row.currency),
    key: field === 'calls' ? 'calls' : TOKEN_CLASS_OF[field],
    net: formatAmount(amounts[i] - fees[i], row.currency),
    quantities: quantitiesView(row.quantities, field),
  }));
}
