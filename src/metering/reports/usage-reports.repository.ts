import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { QUANTITY_FIELDS, type QuantityField } from '../usage-event.js';

export type Outcome = 'accepted' | 'rejected' | 'conflict';

export interface UsageEventFilter {
  productId?: string;
  mandateId?: string;
  createdGte?: Date;
  createdLt?: Date;
  outcome?: Outcome;
  /** Events are stored by their own timestamp, which is at most this long before they were received. */
  maxAgeMs: number;
}

/** One row of the vendor's list: an accepted event or a rejection. */
export interface UsageEventRow {
  id: string;
  outcome: Outcome;
  eventId: string | null;
  occurredAt: Date | null;
  mandateId: string | null;
  payerAccountId: string | null;
  productId: string | null;
  priceId: string | null;
  currency: string | null;
  quantities: Record<QuantityField, bigint> | null;
  amount: bigint | null;
  fee: bigint | null;
  authorizationId: string | null;
  ledgerReference: string | null;
  code: string | null;
  message: string | null;
  metadata: Record<string, string> | null;
  createdAt: Date;
}

export interface SummaryRow {
  key: string;
  currency: string;
  events: number;
  quantities: Record<QuantityField, bigint>;
  amount: bigint;
  fee: bigint;
}

/** Per currency: quantities and exact cost of each class, in nanos × 1,000,000 (so per-token prices stay whole). */
export interface TokenClassRow {
  currency: string;
  totalEvents: number;
  events: Record<QuantityField, number>;
  quantities: Record<QuantityField, bigint>;
  exactCost: Record<QuantityField, bigint>;
  amount: bigint;
  fee: bigint;
}

export interface PayerUsageRow {
  vendorAccountId: string;
  productId: string;
  currency: string;
  events: number;
  quantities: Record<QuantityField, bigint>;
  amount: bigint;
}

const GROUP_KEYS = {
  product: 'product_id',
  price: 'price_id',
  payer: 'payer_account_id',
  day: `to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
} as const;

/** Late events land up to USAGE_MAX_AGE before their arrival, and senders' clocks may run 5 minutes ahead. */
const CLOCK_SKEW_MS = 5 * 60_000;
const SUMS = QUANTITY_FIELDS.map((field) => `sum(${field}) AS ${field}`).join(', ');
const PRICE_COLUMN: Record<QuantityField, string> = {
  input_tokens: 'input_per_million',
  output_tokens: 'output_per_million',
  cached_input_tokens: 'cached_input_per_million',
  cache_write_tokens: 'cache_write_per_million',
  reasoning_tokens: 'reasoning_per_million',
  calls: 'per_call',
};

type Row = Record<string, unknown>;

function quantitiesOf(row: Row): Record<QuantityField, bigint> {
  return Object.fromEntries(QUANTITY_FIELDS.map((field) => [field, BigInt(String(row[field] ?? 0))])) as Record<
    QuantityField,
    bigint
  >;
}

/** Reads for vendors' lists and summaries and payers' bills; nothing here writes. */
@Injectable()
export class UsageReportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async listEvents(
    accountId: string,
    filter: UsageEventFilter,
    limit: number,
    startingAfter?: string,
  ): Promise<UsageEventRow[]> {
    const wantAccepted = filter.outcome === undefined || filter.outcome === 'accepted';
    const wantRefused = filter.outcome !== 'accepted';
    const [accepted, refused] = await Promise.all([
      wantAccepted ? this.listAccepted(accountId, filter, limit + 1, startingAfter) : Promise.resolve([]),
      wantRefused ? this.listRefused(accountId, filter, limit + 1, startingAfter) : Promise.resolve([]),
    ]);
    return [...accepted, ...refused].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).slice(0, limit + 1);
  }

  private async listAccepted(
    accountId: string,
    filter: UsageEventFilter,
    limit: number,
    startingAfter?: string,
  ): Promise<UsageEventRow[]> {
    const where = ['account_id = $1'];
    const params: unknown[] = [accountId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (startingAfter) add('id < ?', startingAfter);
    if (filter.productId) add('product_id = ?', filter.productId);
    if (filter.mandateId) add('mandate_id = ?', filter.mandateId);
    if (filter.createdGte) {
      add('created_at >= ?', filter.createdGte);
      // Lets the planner skip the months no event received since then can be in.
      add('occurred_at >= ?', new Date(filter.createdGte.getTime() - filter.maxAgeMs));
    }
    if (filter.createdLt) {
      add('created_at < ?', filter.createdLt);
      add('occurred_at < ?', new Date(filter.createdLt.getTime() + CLOCK_SKEW_MS));
    }
    params.push(limit);
    const rows: Row[] = await this.dataSource.query(
      `SELECT * FROM usage_events WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => ({
      id: row.id as string,
      outcome: 'accepted',
      eventId: row.event_id as string,
      occurredAt: row.occurred_at as Date,
      mandateId: row.mandate_id as string,
      payerAccountId: row.payer_account_id as string,
      productId: row.product_id as string,
      priceId: row.price_id as string,
      currency: row.currency as string,
      quantities: quantitiesOf(row),
      amount: BigInt(row.amount as string),
      fee: BigInt(row.fee as string),
      authorizationId: row.authorization_id as string | null,
      ledgerReference: row.ledger_reference as string | null,
      code: null,
      message: null,
      metadata: row.metadata as Record<string, string> | null,
      createdAt: row.created_at as Date,
    }));
  }

  private async listRefused(
    accountId: string,
    filter: UsageEventFilter,
    limit: number,
    startingAfter?: string,
  ): Promise<UsageEventRow[]> {
    const where = ['account_id = $1'];
    const params: unknown[] = [accountId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (startingAfter) add('id < ?', startingAfter);
    if (filter.outcome) add('status = ?', filter.outcome);
    if (filter.productId) add('product_id = ?', filter.productId);
    if (filter.mandateId) add('mandate_id = ?', filter.mandateId);
    if (filter.createdGte) add('created_at >= ?', filter.createdGte);
    if (filter.createdLt) add('created_at < ?', filter.createdLt);
    params.push(limit);
    const rows: Row[] = await this.dataSource.query(
      `SELECT id, event_id, status, code, message, occurred_at, mandate_id, product_id, price_id, created_at
         FROM usage_event_rejections WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => ({
      id: row.id as string,
      outcome: row.status as Outcome,
      eventId: row.event_id as string | null,
      occurredAt: row.occurred_at as Date | null,
      mandateId: row.mandate_id as string | null,
      payerAccountId: null,
      productId: row.product_id as string | null,
      priceId: row.price_id as string | null,
      currency: null,
      quantities: null,
      amount: null,
      fee: null,
      authorizationId: null,
      ledgerReference: null,
      code: row.code as string,
      message: row.message as string,
      metadata: null,
      createdAt: row.created_at as Date,
    }));
  }

  async summary(accountId: string, group: keyof typeof GROUP_KEYS, from: Date, to: Date): Promise<SummaryRow[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${GROUP_KEYS[group]} AS key, currency, count(*) AS events, ${SUMS},
              sum(amount) AS amount, sum(fee) AS fee
         FROM usage_events
        WHERE account_id = $1 AND occurred_at >= $2 AND occurred_at < $3
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [accountId, from, to],
    );
    return rows.map((row) => ({
      key: row.key as string,
      currency: row.currency as string,
      events: Number(row.events),
      quantities: quantitiesOf(row),
      amount: BigInt(row.amount as string),
      fee: BigInt(row.fee as string),
    }));
  }

  async tokenClassSummary(accountId: string, from: Date, to: Date): Promise<TokenClassRow[]> {
    const perClass = QUANTITY_FIELDS.map(
      (field) =>
        `count(*) FILTER (WHERE e.${field} > 0) AS events_${field}, sum(e.${field}) AS ${field},
         sum(e.${field} * coalesce(p.${PRICE_COLUMN[field]}, 0))${field === 'calls' ? ' * 1000000' : ''} AS cost_${field}`,
    ).join(', ');
    const rows: Row[] = await this.dataSource.query(
      `SELECT e.currency, count(*) AS total_events, ${perClass}, sum(e.amount) AS amount, sum(e.fee) AS fee
         FROM usage_events e JOIN prices p ON p.id = e.price_id
        WHERE e.account_id = $1 AND e.occurred_at >= $2 AND e.occurred_at < $3
        GROUP BY e.currency ORDER BY e.currency`,
      [accountId, from, to],
    );
    return rows.map((row) => ({
      currency: row.currency as string,
      totalEvents: Number(row.total_events),
      events: Object.fromEntries(QUANTITY_FIELDS.map((f) => [f, Number(row[`events_${f}`])])) as Record<
        QuantityField,
        number
      >,
      quantities: quantitiesOf(row),
      exactCost: Object.fromEntries(QUANTITY_FIELDS.map((f) => [f, BigInt(String(row[`cost_${f}`] ?? 0))])) as Record<
        QuantityField,
        bigint
      >,
      amount: BigInt(row.amount as string),
      fee: BigInt(row.fee as string),
    }));
  }

  /**
   * A payer's usage by vendor and product, for its bill: by the time it was charged (received), which is when
   * the wallet moved, so a bill's period matches the wallet's ledger.
   */
  async payerUsage(payerAccountId: string, from: Date, to: Date, maxAgeMs: number): Promise<PayerUsageRow[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT account_id, product_id, currency, count(*) AS events, ${SUMS},
              sum(amount) AS amount
         FROM usage_events
        WHERE payer_account_id = $1 AND created_at >= $2 AND created_at < $3
          AND occurred_at >= $4 AND occurred_at < $5
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [payerAccountId, from, to, new Date(from.getTime() - maxAgeMs), new Date(to.getTime() + CLOCK_SKEW_MS)],
    );
    return rows.map((row) => ({
      vendorAccountId: row.account_id as string,
      productId: row.product_id as string,
      currency: row.currency as string,
      events: Number(row.events),
      quantities: quantitiesOf(row),
      amount: BigInt(row.amount as string),
    }));
  }
}
