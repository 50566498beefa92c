import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { QUANTITY_FIELDS, type Quantities } from './usage-event.js';

/** What the platform needs to know about a mandate before rating against it (read-only, no lock). */
export interface MandateTerms {
  id: string;
  payerAccountId: string;
  currency: string;
  payeeAccountIds: string[];
}

/** A dedup key: enough about the accepted event to answer a duplicate of it without reading the event. */
export interface UsageKey {
  eventId: string;
  contentHash: Buffer;
  usageEventId: string;
  occurredAt: Date;
  currency: string;
  amount: bigint;
  fee: bigint;
  ledgerReference: string | null;
}

export interface NewUsageEvent {
  id: string;
  accountId: string;
  eventId: string;
  occurredAt: Date;
  mandateId: string;
  payerAccountId: string;
  productId: string;
  priceId: string;
  currency: string;
  quantities: Quantities;
  amount: bigint;
  exactNumerator: bigint;
  exactDenominator: bigint;
  fee: bigint;
  authorizationId: string | null;
  ledgerReference: string | null;
  metadata: Record<string, string> | null;
  createdAt: Date;
}

export interface NewUsageRejection {
  id: string;
  accountId: string;
  eventId: string | null;
  status: 'rejected' | 'conflict';
  code: string;
  message: string;
  occurredAt: Date | null;
  mandateId: string | null;
  productId: string | null;
  priceId: string | null;
  payload: unknown;
  requestId: string | null;
  createdAt: Date;
}

/** Postgres SQLSTATE for "no partition of relation … found for row". */
export const NO_PARTITION_FOR_ROW = '23514';

const QUANTITY_COLUMNS = QUANTITY_FIELDS.join(', ');

/**
 * Writes and reads usage events, their dedup keys and rejections. Multi-row statements throughout: a batch of
 * 1,000 events is a handful of round trips.
 */
@Injectable()
export class UsageEventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Mandates' terms, read from the mandates table without a lock. They are immutable once granted (payer,
   * currency, payees); whether the payer may spend is decided later by the mandates module under its locks.
   */
  async mandateTerms(ids: string[]): Promise<MandateTerms[]> {
    if (ids.length === 0) return [];
    const rows: Array<{ id: string; payer_account_id: string; currency: string; payee_account_ids: string[] }> =
      await this.dataSource.query(
        `SELECT id, payer_account_id, currency, payee_account_ids FROM mandates WHERE id = ANY($1::text[])`,
        [ids],
      );
    return rows.map((row) => ({
      id: row.id,
      payerAccountId: row.payer_account_id,
      currency: row.currency,
      payeeAccountIds: row.payee_account_ids,
    }));
  }

  /**
   * Orders a vendor's usage writes around its pending balance, the one ledger row every charge to it credits.
   * Plain batches take it shared: they lock in one global order (keys, mandates, wallets, then one ledger
   * posting) and run side by side. Captures against authorizations post to the ledger several times in one
   * transaction, out of that order, so they take it exclusive and never interleave with a batch of the vendor.
   */
  async lockVendor(manager: EntityManager, accountId: string, mode: 'shared' | 'exclusive'): Promise<void> {
    await manager.query(
      `SELECT ${mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock'}(hashtextextended('usage:' || $1, 0))`,
      [accountId],
    );
  }

  /**
   * Claims event ids by inserting their dedup keys, and stores the events of the claimed ids that are to be stored
   * now, in one statement; returns the ids this statement claimed. An id already present (or being inserted by a
   * concurrent, uncommitted transaction, which this waits for) is not returned and its event is not stored.
   * Keys go in sorted by event id, so two batches sharing ids lock them in the same order.
   */
  async claimAndStore(
    manager: EntityManager,
    accountId: string,
    entries: Array<{ key: UsageKey; event: NewUsageEvent | null }>,
    now: Date,
  ): Promise<Set<string>> {
    if (entries.length === 0) return new Set();
    const key = <T>(pick: (k: UsageKey) => T) => entries.map((entry) => pick(entry.key));
    const event = <T>(pick: (e: NewUsageEvent) => T) =>
      entries.map((entry) => (entry.event ? pick(entry.event) : null));
    const rows: Array<{ event_id: string }> = await manager.query(
      `WITH input AS (
         SELECT * FROM unnest($2::text[], $3::bytea[], $4::text[], $5::timestamptz[], $6::text[], $7::numeric[],
                              $8::numeric[], $9::text[], $10::boolean[], $11::text[], $12::text[], $13::text[],
                              $14::text[], $15::bigint[], $16::bigint[], $17::bigint[], $18::bigint[], $19::bigint[],
                              $20::bigint[], $21::numeric[], $22::numeric[], $23::text[], $24::jsonb[])
           AS i(event_id, content_hash, usage_event_id, occurred_at, currency, amount, fee, ledger_reference, store,
                mandate_id, payer_account_id, product_id, price_id, ${QUANTITY_COLUMNS}, exact_numerator,
                exact_denominator, authorization_id, metadata)
       ), claimed AS (
         INSERT INTO usage_event_keys (account_id, event_id, content_hash, usage_event_id, occurred_at, currency, amount,
                                       fee, ledger_reference)
         SELECT $1, event_id, content_hash, usage_event_id, occurred_at, currency, amount, fee, ledger_reference
           FROM input ORDER BY event_id COLLATE "C"
         ON CONFLICT (account_id, event_id) DO NOTHING
         RETURNING event_id
       ), stored AS (
         INSERT INTO usage_events (id, account_id, event_id, occurred_at, mandate_id, payer_account_id, product_id,
                                   price_id, currency, ${QUANTITY_COLUMNS}, amount, exact_numerator, exact_denominator,
                                   fee, authorization_id, ledger_reference, metadata, created_at)
         SELECT i.usage_event_id, $1, i.event_id, i.occurred_at, i.mandate_id, i.payer_account_id, i.product_id,
                i.price_id, i.currency, ${QUANTITY_FIELDS.map((field) => `i.${field}`).join(', ')}, i.amount,
                i.exact_numerator, i.exact_denominator, i.fee, i.authorization_id, i.ledger_reference, i.metadata, $25
           FROM input i JOIN claimed c ON c.event_id = i.event_id
          WHERE i.store
         RETURNING 1
       )
       SELECT event_id FROM claimed`,
      [
        accountId,
        key((k) => k.eventId),
        key((k) => k.contentHash),
        key((k) => k.usageEventId),
        key((k) => k.occurredAt),
        key((k) => k.currency),
        key((k) => k.amount.toString()),
        key((k) => k.fee.toString()),
        key((k) => k.ledgerReference),
        entries.map((entry) => entry.event !== null),
        event((e) => e.mandateId),
        event((e) => e.payerAccountId),
        event((e) => e.productId),
        event((e) => e.priceId),
        ...QUANTITY_FIELDS.map((field) => event((e) => e.quantities[field].toString())),
        event((e) => e.exactNumerator.toString()),
        event((e) => e.exactDenominator.toString()),
        event((e) => e.authorizationId),
        event((e) => (e.metadata ? JSON.stringify(e.metadata) : null)),
        now,
      ],
    );
    return new Set(rows.map((row) => row.event_id));
  }

  /**
   * The stored keys of earlier batches, each looked up by its key (a LATERAL that OFFSET 0 keeps apart). Written
   * as `event_id = ANY(...)`, PostgreSQL without table statistics planned an index scan on the vendor alone and
   * filtered the ids: every key the vendor sent in the dedup window, read for each batch with a copy in it.
   */
  async findKeys(manager: EntityManager, accountId: string, eventIds: string[]): Promise<UsageKey[]> {
    if (eventIds.length === 0) return [];
    const rows: Array<{
      event_id: string;
      content_hash: Buffer;
      usage_event_id: string;
      occurred_at: Date;
      currency: string;
      amount: string;
      fee: string;
      ledger_reference: string | null;
    }> = await manager.query(
      `SELECT k.event_id, k.content_hash, k.usage_event_id, k.occurred_at, k.currency, k.amount, k.fee,
              k.ledger_reference
         FROM unnest($2::text[]) AS wanted(event_id)
         CROSS JOIN LATERAL (
           SELECT * FROM usage_event_keys k WHERE k.account_id = $1 AND k.event_id = wanted.event_id OFFSET 0
         ) k`,
      [accountId, eventIds],
    );
    return rows.map((row) => ({
      eventId: row.event_id,
      contentHash: row.content_hash,
      usageEventId: row.usage_event_id,
      occurredAt: row.occurred_at,
      currency: row.currency,
      amount: BigInt(row.amount),
      fee: BigInt(row.fee),
      ledgerReference: row.ledger_reference,
    }));
  }

  /** Records the ledger reference of events whose posting was only known after their key was claimed. */
  async setKeyReferences(
    manager: EntityManager,
    accountId: string,
    references: Array<{ eventId: string; ledgerReference: string }>,
  ): Promise<void> {
    if (references.length === 0) return;
    await manager.query(
      `UPDATE usage_event_keys k SET ledger_reference = r.ledger_reference
         FROM unnest($2::text[], $3::text[]) AS r(event_id, ledger_reference)
        WHERE k.account_id = $1 AND k.event_id = r.event_id`,
      [accountId, references.map((r) => r.eventId), references.map((r) => r.ledgerReference)],
    );
  }

  /** Removes events stored in this transaction that were then declined: they were never accepted. */
  async deleteEvents(
    manager: EntityManager,
    accountId: string,
    events: Array<{ id: string; occurredAt: Date }>,
  ): Promise<void> {
    if (events.length === 0) return;
    await manager.query(
      `DELETE FROM usage_events e USING unnest($2::text[], $3::timestamptz[]) AS d(id, occurred_at)
        WHERE e.account_id = $1 AND e.id = d.id AND e.occurred_at = d.occurred_at`,
      [accountId, events.map((e) => e.id), events.map((e) => e.occurredAt)],
    );
  }

  /** Gives ids back (their events were declined in this transaction); each key found by its key, as findKeys. */
  async releaseKeys(manager: EntityManager, accountId: string, eventIds: string[]): Promise<void> {
    if (eventIds.length === 0) return;
    await manager.query(
      `DELETE FROM usage_event_keys WHERE ctid = ANY(ARRAY(
         SELECT k.ctid FROM unnest($2::text[]) AS gone(event_id)
         CROSS JOIN LATERAL (
           SELECT ctid FROM usage_event_keys k WHERE k.account_id = $1 AND k.event_id = gone.event_id OFFSET 0
         ) k
       ))`,
      [accountId, eventIds],
    );
  }

  async insertEvents(manager: EntityManager, events: NewUsageEvent[]): Promise<void> {
    if (events.length === 0) return;
    const column = <T>(pick: (event: NewUsageEvent) => T) => events.map(pick);
    await manager.query(
      `INSERT INTO usage_events (id, account_id, event_id, occurred_at, mandate_id, payer_account_id, product_id,
         price_id, currency, ${QUANTITY_COLUMNS}, amount, exact_numerator, exact_denominator, fee,
         authorization_id, ledger_reference, metadata, created_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[],
         $8::text[], $9::text[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[],
         $15::bigint[], $16::numeric[], $17::numeric[], $18::numeric[], $19::numeric[], $20::text[], $21::text[],
         $22::jsonb[], $23::timestamptz[])`,
      [
        column((e) => e.id),
        column((e) => e.accountId),
        column((e) => e.eventId),
        column((e) => e.occurredAt),
        column((e) => e.mandateId),
        column((e) => e.payerAccountId),
        column((e) => e.productId),
        column((e) => e.priceId),
        column((e) => e.currency),
        ...QUANTITY_FIELDS.map((field) => column((e) => e.quantities[field].toString())),
        column((e) => e.amount.toString()),
        column((e) => e.exactNumerator.toString()),
        column((e) => e.exactDenominator.toString()),
        column((e) => e.fee.toString()),
        column((e) => e.authorizationId),
        column((e) => e.ledgerReference),
        column((e) => (e.metadata ? JSON.stringify(e.metadata) : null)),
        column((e) => e.createdAt),
      ],
    );
  }

  async insertRejections(manager: EntityManager, rejections: NewUsageRejection[]): Promise<void> {
    if (rejections.length === 0) return;
    const column = <T>(pick: (rejection: NewUsageRejection) => T) => rejections.map(pick);
    await manager.query(
      `INSERT INTO usage_event_rejections (id, account_id, event_id, status, code, message, occurred_at, mandate_id,
         product_id, price_id, payload, request_id, created_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
         $7::timestamptz[], $8::text[], $9::text[], $10::text[], $11::jsonb[], $12::text[], $13::timestamptz[])`,
      [
        column((r) => r.id),
        column((r) => r.accountId),
        column((r) => r.eventId),
        column((r) => r.status),
        column((r) => r.code),
        column((r) => r.message),
        column((r) => r.occurredAt),
        column((r) => r.mandateId),
        column((r) => r.productId),
        column((r) => r.priceId),
        column((r) => JSON.stringify(r.payload ?? null)),
        column((r) => r.requestId),
        column((r) => r.createdAt),
      ],
    );
  }

  /** Creates the monthly partitions of usage tables covering [from, to); returns how many were created. */
  async ensurePartitions(from: Date, to: Date): Promise<number> {
    const rows: Array<{ created: number }> = await this.dataSource.query(
      `SELECT ensure_usage_partitions($1, $2) AS created`,
      [from, to],
    );
    return Number(rows[0].created);
  }

  /** Deletes dedup keys created before `cutoff`, at most `limit` per call; returns how many. */
  async pruneKeys(cutoff: Date, limit: number): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `DELETE FROM usage_event_keys WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM usage_event_keys WHERE created_at < $1 LIMIT $2
       )) RETURNING 1`,
      [cutoff, limit],
    );
    return rows.length;
  }
}
