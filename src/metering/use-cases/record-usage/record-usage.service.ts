import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Account } from '../../../accounts/account.entity.js';
import { AccountsService } from '../../../accounts/accounts.service.js';
import type { Price } from '../../../catalog/price.entity.js';
import { PriceBook } from '../../../catalog/price-book.js';
import { addTo } from '../../../common/collections/group.js';
import { ApiError } from '../../../common/errors/api-error.js';
import { newId } from '../../../common/ids.js';
import type { AppConfig } from '../../../config/app-config.js';
import { APP_CONFIG } from '../../../config/config.tokens.js';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import { LedgerError } from '../../../ledger/ledger.error.js';
import { MandateSpendService } from '../../../mandates/use-cases/spend-from-mandate/spend-from-mandate.service.js';
import type { SpendCharge } from '../../../mandates/use-cases/spend-from-mandate/spend.types.js';
import {
  FEE_REBATE_HOOK,
  FeeCalculator,
  type FeeRebateHook,
  type FeeSchedule,
} from '../../../payments/fees/fee-calculator.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import { AuthorizationsRepository } from '../../authorizations.repository.js';
import type { UsageEventResultsView } from '../../dto/usage-event.dto.js';
import { TOKEN_SUBSIDY_HOOK, type TokenSubsidyHook } from '../../token-subsidy.hook.js';
import { remainingOf, type UsageAuthorization } from '../../usage-authorization.entity.js';
import { type ParsedUsageEvent, rejection, type UsageRejection } from '../../usage-event.js';
import { parseUsageEvent, type TimeWindow } from '../../usage-event.parser.js';
import {
  type MandateTerms,
  NO_PARTITION_FOR_ROW,
  type NewUsageEvent,
  type NewUsageRejection,
  UsageEventsRepository,
} from '../../usage-events.repository.js';
import { MandateTermsCache } from '../../mandate-terms.cache.js';
import { rateEvent, type RatedEvent } from '../../usage-rating.js';
import { presentOutcome, type UsageOutcome } from '../../usage-results.js';
import { AuthorizationSettlementService } from '../settle-authorization/authorization-settlement.service.js';

export const MAX_EVENTS_PER_REQUEST = 1000;
const MAX_AHEAD_MS = 5 * 60_000;
const DAY_MS = 86_400_000;
/** How much of a rejected event's raw JSON is kept for the vendor to inspect. */
const MAX_STORED_PAYLOAD_CHARS = 8_000;
/**
 * Events in one coalesced transaction, and coalesced transactions in flight per vendor: one, because every charge
 * of a vendor credits its pending balance, which stays locked from posting to commit; and fewer, larger
 * transactions spend less per event (a payer's wallet and mandate are locked and written once for all of its
 * events in the transaction). 2,000 measured best for batches of 500 spread over 1,000 payers (bench/README.md).
 */
const MAX_COALESCED_EVENTS = 2000;
const MAX_COALESCED_IN_FLIGHT = 1;

/** One event of a request on its way through the pipeline. */
interface Slot {
  index: number;
  /** The request it came in. */
  context: UsageRequestContext;
  raw: unknown;
  eventId: string | null;
  event: ParsedUsageEvent | null;
  /** Final outcome, once known. */
  outcome: UsageOutcome | null;
  /** Later copies of an event in the same request mirror the first one's outcome. */
  copyOf: number | null;
}

/** An event that passed validation and rating and now competes for its id and for money. */
interface Candidate {
  slot: Slot;
  event: ParsedUsageEvent;
  terms: MandateTerms;
  price: Price;
  rated: RatedEvent;
  fee: bigint;
  /** What `fee` was priced with; a fee discount rebates against it. */
  schedule: FeeSchedule;
  usageEventId: string;
  authorization: UsageAuthorization | null;
}

/** Where a request came from, for the rejections it leaves behind. */
export interface UsageRequestContext {
  requestId: string | null;
}

/** A request whose events are parsed, waiting for its vendor's next transaction. */
interface PendingRequest {
  slots: Slot[];
  resolve: (view: UsageEventResultsView) => void;
  reject: (error: unknown) => void;
}

interface VendorQueue {
  waiting: PendingRequest[];
  running: number;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clip(raw: unknown): unknown {
  const json = JSON.stringify(raw) ?? 'null';
  return json.length <= MAX_STORED_PAYLOAD_CHARS ? raw : { truncated: json.slice(0, MAX_STORED_PAYLOAD_CHARS) };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function resultsOf(request: PendingRequest): UsageEventResultsView {
  return { results: request.slots.map((slot) => presentOutcome(slot.eventId, slot.outcome!)) };
}

/** Slots as parsing left them (a parse rejection is kept), to be settled again. */
function unsettled(slots: Slot[]): Slot[] {
  for (const slot of slots) {
    slot.copyOf = null;
    if (slot.event) slot.outcome = null;
  }
  return slots;
}

/**
 * Token Pay ingestion: validates, deduplicates, rates and charges a request of up to 1,000 usage events in one
 * database transaction. Each event gets its own outcome; a bad event never fails its neighbours.
 *
 * Order of work, and why:
 * 1. Parse and validate every event (pure) as its request arrives. Requests of one vendor that arrive while its
 *    transaction runs are settled together in the next one (see record()). Resolve mandates, products and price
 *    versions once per transaction (versions are cached in memory: they are immutable) and rate each event
 *    exactly, rounded once.
 * 2. In one transaction, claim the event ids by inserting their dedup keys (`ON CONFLICT DO NOTHING
 *    RETURNING`): the insert itself decides, so two concurrent copies of an event can never both be charged.
 *    Ids that were already taken are answered from the stored key: `duplicate` or `conflict`.
 * 3. Charge through the mandates module, once per mandate with all its events (MandateSpendService), or capture
 *    against the named authorization. Declined events give their id back in the same transaction.
 * 4. Store the accepted events and the rejections, then commit: the wallet, the mandate's counters and the
 *    ledger are up to date when the response leaves.
 */
@Injectable()
export class RecordUsageService {
  private readonly logger = new Logger(RecordUsageService.name);
  private readonly queues = new Map<string, VendorQueue>();

  constructor(
    private readonly priceBook: PriceBook,
    private readonly repository: UsageEventsRepository,
    private readonly mandateTerms: MandateTermsCache,
    private readonly authorizations: AuthorizationsRepository,
    private readonly settlement: AuthorizationSettlementService,
    private readonly spend: MandateSpendService,
    private readonly fees: FeeCalculator,
    private readonly accounts: AccountsService,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
    @Inject(TOKEN_SUBSIDY_HOOK) private readonly subsidies: TokenSubsidyHook,
    @Inject(FEE_REBATE_HOOK) private readonly rebates: FeeRebateHook,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Every request is parsed on arrival, then rated and settled in its vendor's next transaction together with
   * the other requests of the vendor that arrived meanwhile, and answered with its own results once that
   * transaction committed. Every charge to a vendor credits its one pending balance row, locked from posting
   * to commit, so one transaction per request would serialise a vendor's requests anyway; together they share
   * the lookups, one commit, and a payer with events in several of them is locked and written once.
   */
  async record(vendorAccountId: string, body: unknown, context: UsageRequestContext): Promise<UsageEventResultsView> {
    const now = new Date();
    const window: TimeWindow = { now, maxAgeMs: this.config.usageMaxAgeDays * DAY_MS, maxAheadMs: MAX_AHEAD_MS };
    const slots = this.eventsOf(body).map((raw, index) => this.parse(raw, index, context, window));
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(vendorAccountId) ?? { waiting: [], running: 0 };
      this.queues.set(vendorAccountId, queue);
      queue.waiting.push({ slots, resolve, reject });
      if (queue.running < MAX_COALESCED_IN_FLIGHT) void this.drain(vendorAccountId, queue);
    });
  }

  private async drain(vendorAccountId: string, queue: VendorQueue) {
    queue.running++;
    try {
      while (queue.waiting.length > 0) {
        const taken: PendingRequest[] = [queue.waiting.shift()!];
        let events = taken[0].slots.length;
        while (queue.waiting.length > 0 && events + queue.waiting[0].slots.length <= MAX_COALESCED_EVENTS) {
          const request = queue.waiting.shift()!;
          taken.push(request);
          events += request.slots.length;
        }
        try {
          await this.process(vendorAccountId, taken.length === 1 ? taken[0].slots : taken.flatMap((r) => r.slots));
          for (const request of taken) request.resolve(resultsOf(request));
        } catch (error) {
          if (taken.length === 1) {
            taken[0].reject(error);
            continue;
          }
          // Not an outcome of an event (those never throw): so that no request fails for its neighbours, each
          // one runs again alone.
          for (const request of taken) {
            try {
              await this.process(vendorAccountId, unsettled(request.slots));
              request.resolve(resultsOf(request));
            } catch (alone) {
              request.reject(alone);
            }
          }
        }
      }
    } finally {
      queue.running--;
      if (queue.running === 0 && queue.waiting.length === 0) this.queues.delete(vendorAccountId);
    }
  }

  /**
   * Rates and settles parsed events of one or more requests of a vendor in one transaction. The slots are
   * numbered across the requests, so that an event sent again in a later request is a copy of the first,
   * decided as if the requests had come one after the other.
   */
  private async process(vendorAccountId: string, slots: Slot[]): Promise<void> {
    const firstById = new Map<string, Slot>();
    slots.forEach((slot, index) => {
      slot.index = index;
      if (!slot.event) return;
      const first = firstById.get(slot.event.eventId);
      if (first) slot.copyOf = first.index;
      else firstById.set(slot.event.eventId, slot);
    });
    const fresh = slots.filter((slot) => slot.event && slot.copyOf === null && slot.outcome === null);
    const now = new Date();
    const vendor = await this.accounts.requireAccount(vendorAccountId);
    const candidates = await this.rate(vendor, fresh, now);
    const write = async (optimistic: boolean) => {
      const run = () =>
        this.transactions.run((manager) => this.settle(manager, vendorAccountId, slots, candidates, now, optimistic));
      try {
        await run();
      } catch (error) {
        if (!this.isMissingPartition(error)) throw error;
        // The maintenance job creates partitions months ahead; this only happens if it has not run for long.
        const times = candidates.map((candidate) => candidate.event.occurredAt.getTime());
        this.logger.warn({ msg: 'A usage partition was missing; creating it and retrying the batch.' });
        await this.repository.ensurePartitions(
          new Date(Math.min(...times, now.getTime())),
          new Date(now.getTime() + DAY_MS),
        );
        await run();
      }
    };
    try {
      // Most wallets cover their usage: let the ledger catch an overdraft instead of reading every balance.
      await write(true);
    } catch (error) {
      if (!(error instanceof LedgerError && error.code === 'insufficient_funds')) throw error;
      await write(false);
    }
  }

  /** `{events: [...]}` or one bare event. */
  private eventsOf(body: unknown): unknown[] {
    if (!isPlainObject(body)) {
      throw ApiError.badRequest('invalid_body', 'Send one usage event or {"events": [...]} as a JSON object.');
    }
    if (!('events' in body)) return [body];
    const extra = Object.keys(body).find((key) => key !== 'events');
    if (extra) throw ApiError.badRequest('unknown_parameter', `Received unknown parameter: ${extra}.`, extra);
    const events = body.events;
    if (!Array.isArray(events)) throw ApiError.badRequest('parameter_invalid', 'events must be an array.', 'events');
    if (events.length === 0) throw ApiError.badRequest('parameter_invalid', 'events must not be empty.', 'events');
    if (events.length > MAX_EVENTS_PER_REQUEST) {
      throw new ApiError(
        413,
        'invalid_request_error',
        'batch_too_large',
        `A request carries at most ${MAX_EVENTS_PER_REQUEST} events; this one has ${events.length}. Split it.`,
        'events',
      );
    }
    return events;
  }

  private parse(raw: unknown, index: number, context: UsageRequestContext, window: TimeWindow): Slot {
    const result = parseUsageEvent(raw, window);
    if (result.ok) {
      return { index, context, raw, eventId: result.event.eventId, event: result.event, outcome: null, copyOf: null };
    }
    return {
      index,
      context,
      raw,
      eventId: result.eventId,
      event: null,
      outcome: { status: 'rejected', rejection: result.rejection },
      copyOf: null,
    };
  }

  /** Resolves what the events refer to and rates them; events that cannot be rated get their rejection. */
  private async rate(vendor: Account, slots: Slot[], now: Date): Promise<Candidate[]> {
    const events = slots.map((slot) => slot.event!);
    const [mandateById, catalog, authorizations] = await Promise.all([
      this.mandateTerms.get([...new Set(events.map((event) => event.mandateId))]),
      this.priceBook.load(
        vendor.id,
        events.flatMap((event) => (event.productId ? [event.productId] : [])),
        events.flatMap((event) => (event.priceId ? [event.priceId] : [])),
      ),
      this.authorizations.findMany(vendor.id, [
        ...new Set(events.flatMap((event) => (event.authorizationId ? [event.authorizationId] : []))),
      ]),
    ]);
    const authorizationById = new Map(authorizations.map((authorization) => [authorization.id, authorization]));
    const schedules = new Map<string, FeeSchedule>();
    const candidates: Candidate[] = [];
    for (const slot of slots) {
      const event = slot.event!;
      const reject = (code: UsageRejection['code'], message: string) => {
        slot.outcome = { status: 'rejected', rejection: rejection(code, message) };
      };
      const terms = mandateById.get(event.mandateId);
      // A mandate that does not name this vendor is none of its business: the same answer as a missing one.
      if (!terms || !terms.payeeAccountIds.includes(vendor.id)) {
        reject('mandate_not_found', `No mandate ${event.mandateId} names this account as a payee.`);
        continue;
      }
      let price: Price | undefined;
      if (event.priceId) {
        price = catalog.price(event.priceId);
        if (!price) {
          reject('price_not_found', `No such price: ${event.priceId}.`);
          continue;
        }
        if (price.currency !== terms.currency) {
          reject(
            'currency_mismatch',
            `Price ${price.id} is in ${price.currency}; the mandate pays in ${terms.currency}.`,
          );
          continue;
        }
        if (price.effectiveFrom.getTime() > event.occurredAt.getTime()) {
          reject('price_not_in_force', `Price ${price.id} takes effect after the event's timestamp.`);
          continue;
        }
      } else {
        if (!catalog.product(event.productId!)) {
          reject('product_not_found', `No such product: ${event.productId}.`);
          continue;
        }
        price = catalog.priceInForce(event.productId!, terms.currency, event.occurredAt);
        if (!price) {
          reject(
            'no_price_in_force',
            `Product ${event.productId} has no ${terms.currency} price in force at the event's timestamp.`,
          );
          continue;
        }
      }
      const product = catalog.product(price.productId);
      if (!product || (product.archivedAt && product.archivedAt.getTime() <= event.occurredAt.getTime())) {
        reject('product_archived', `Product ${price.productId} was archived before this usage.`);
        continue;
      }
      const rated = rateEvent(price, event.quantities);
      if (!rated.ok) {
        slot.outcome = { status: 'rejected', rejection: rated.rejection };
        continue;
      }
      let authorization: UsageAuthorization | null = null;
      if (event.authorizationId) {
        authorization = authorizationById.get(event.authorizationId) ?? null;
        if (!authorization) {
          reject('authorization_not_found', `No such authorization: ${event.authorizationId}.`);
          continue;
        }
        if (authorization.mandateId !== terms.id || authorization.currency !== terms.currency) {
          reject('authorization_mismatch', `Authorization ${authorization.id} was placed on another mandate.`);
          continue;
        }
      }
      let schedule = schedules.get(terms.currency);
      if (!schedule) {
        schedule = await this.fees.scheduleFor({
          receiver: vendor,
          currency: terms.currency,
          at: now,
          sourceType: 'usage_charge',
        });
        schedules.set(terms.currency, schedule);
      }
      const amount = rated.rated.amount;
      candidates.push({
        slot,
        event,
        terms,
        price,
        rated: rated.rated,
        fee: amount > 0n ? FeeCalculator.feeFor(schedule, amount) : 0n,
        schedule,
        usageEventId: newId('ue', now.getTime()),
        authorization,
      });
    }
    return candidates;
  }

  /**
   * The transactional part. Recomputes every in-transaction outcome, so a retried attempt starts clean.
   *
   * Lock order, the same in every batch: the vendor's advisory lock (shared, or exclusive with captures), dedup
   * keys (by event id), authorizations (by id), then, last, mandates (by id), wallets (by payer) and the ledger
   * rows of the one posting, inside spendMany. The payers' wallets are the contended locks (every vendor's
   * batches draw on them), so everything that can happen before them does: the events are stored first, under
   * the ledger reference their posting will have, and the few that are then declined are deleted again in the
   * same transaction. `optimistic` (the first attempt) takes the wallets only in the round trip of the posting
   * and leaves overdrafts to the ledger; a batch that meets one runs again without it, reading the balances.
   */
  private async settle(
    manager: EntityManager,
    vendorAccountId: string,
    slots: Slot[],
    candidates: Candidate[],
    now: Date,
    optimistic: boolean,
  ): Promise<void> {
    const outcomes = new Map<Candidate, UsageOutcome>();
    /** Content already accepted under an id, for the later copies in this request of an event that conflicted. */
    const storedByEventId = new Map<string, { contentHash: Buffer; outcome: UsageOutcome }>();
    const captures = candidates.filter((c) => c.authorization);
    await this.repository.lockVendor(manager, vendorAccountId, captures.length > 0 ? 'exclusive' : 'shared');

    // Charges are posted once per currency, under a reference derived from every chargeable event of the request;
    // known before the posting, it goes into the dedup keys and the stored events.
    const referenceByCurrency = new Map<string, string[]>();
    for (const c of candidates) {
      if (c.authorization || c.rated.amount === 0n) continue;
      addTo(referenceByCurrency, c.terms.currency, this.chargeReference(vendorAccountId, c));
    }
    const postingReference = new Map(
      [...referenceByCurrency].map(([currency, references]) => [
        currency,
        `usage:${vendorAccountId}:${createHash('sha256').update(references.sort().join('\n')).digest('base64url')}`,
      ]),
    );
    const referenceOf = (c: Candidate) =>
      c.authorization || c.rated.amount === 0n ? null : postingReference.get(c.terms.currency)!;

    // Events without an authorization are stored with their keys, before any wallet is locked; captured ones
    // once their capture is known.
    const claimed = await this.repository.claimAndStore(
      manager,
      vendorAccountId,
      candidates.map((c) => ({
        key: {
          eventId: c.event.eventId,
          contentHash: c.event.contentHash,
          usageEventId: c.usageEventId,
          occurredAt: c.event.occurredAt,
          currency: c.terms.currency,
          amount: c.rated.amount,
          fee: c.fee,
          ledgerReference: referenceOf(c),
        },
        event: c.authorization ? null : this.usageRow(vendorAccountId, c, referenceOf(c), now),
      })),
      now,
    );
    const taken = candidates.filter((c) => !claimed.has(c.event.eventId));
    if (taken.length > 0) {
      const keys = await this.repository.findKeys(
        manager,
        vendorAccountId,
        taken.map((c) => c.event.eventId),
      );
      const stored = new Map(keys.map((key) => [key.eventId, key]));
      for (const candidate of taken) {
        const key = stored.get(candidate.event.eventId);
        const earlier: UsageOutcome | null = key
          ? {
              status: 'duplicate',
              currency: key.currency,
              amount: key.amount,
              fee: key.fee,
              usageEventId: key.usageEventId,
              ledgerReference: key.ledgerReference,
            }
          : null;
        if (key && earlier) storedByEventId.set(key.eventId, { contentHash: key.contentHash, outcome: earlier });
        outcomes.set(
          candidate,
          key && earlier && key.contentHash.equals(candidate.event.contentHash)
            ? earlier
            : {
                status: 'conflict',
                rejection: rejection(
                  'event_id_conflict',
                  'This id was already accepted with other content; nothing was charged.',
                ),
              },
        );
      }
    }
    const mine = candidates.filter((c) => claimed.has(c.event.eventId));
    const accept = (c: Candidate, ledgerReference: string | null) =>
      outcomes.set(c, {
        status: 'accepted',
        currency: c.terms.currency,
        amount: c.rated.amount,
        fee: c.fee,
        usageEventId: c.usageEventId,
        ledgerReference,
      });
    const decline = (c: Candidate, code: UsageRejection['code'], message: string) =>
      outcomes.set(c, { status: 'rejected', rejection: rejection(code, message) });

    // Charges, grouped per currency and mandate; mandates with captures only come along with no charges, so that
    // their rows and wallets are locked in the same order before the captures touch the ledger.
    const spends = new Map<string, Map<string, Candidate[]>>();
    for (const c of mine) {
      if (c.rated.amount === 0n && !c.authorization) continue;
      const groups = spends.get(c.terms.currency) ?? new Map<string, Candidate[]>();
      const group = groups.get(c.terms.id) ?? [];
      if (!c.authorization) group.push(c);
      groups.set(c.terms.id, group);
      spends.set(c.terms.currency, groups);
    }
    const uncaptured = mine.filter((c) => !c.authorization);

    const locked = new Map(
      (
        await this.authorizations.lockMany(manager, vendorAccountId, [
          ...new Set(captures.map((c) => c.authorization!.id)),
        ])
      ).map((authorization) => [authorization.id, authorization]),
    );
    for (const c of uncaptured) if (c.rated.amount === 0n) accept(c, null);
    for (const [currency, byMandate] of [...spends].sort(([a], [b]) => compare(a, b))) {
      const groups = [...byMandate];
      const reference = postingReference.get(currency) ?? `usage:${vendorAccountId}:captures-only`;
      const results = await this.spend.spendMany(manager, {
        receiverAccountId: vendorAccountId,
        currency,
        type: 'usage_charge',
        at: now,
        reference,
        optimistic,
        groups: groups.map(([mandateId, charges]) => ({
          mandateId,
          charges: charges.map((c): SpendCharge => ({
            amount: c.rated.amount,
            fee: c.fee,
            reference: this.chargeReference(vendorAccountId, c),
            sourceType: 'usage_event',
            sourceId: c.usageEventId,
            productId: c.price.productId,
          })),
        })),
      });
      results.forEach((result, g) => {
        const charges = groups[g][1];
        result.outcomes.forEach((outcome, i) => {
          if (outcome.status === 'accepted') accept(charges[i], reference);
          else decline(charges[i], outcome.declineCode, outcome.message);
        });
      });
    }
    const byAuthorization = new Map<string, Candidate[]>();
    for (const c of captures.filter((c) => claimed.has(c.event.eventId))) {
      addTo(byAuthorization, c.authorization!.id, c);
    }
    for (const [authorizationId, list] of [...byAuthorization].sort(([a], [b]) => compare(a, b))) {
      await this.captureUsage(manager, locked.get(authorizationId)!, list, now, accept, decline);
    }

    const declined = mine.filter((c) => outcomes.get(c)!.status !== 'accepted');
    await this.repository.releaseKeys(
      manager,
      vendorAccountId,
      declined.map((c) => c.event.eventId),
    );
    await this.repository.deleteEvents(
      manager,
      vendorAccountId,
      declined.filter((c) => !c.authorization).map((c) => ({ id: c.usageEventId, occurredAt: c.event.occurredAt })),
    );
    const captured = mine
      .filter((c) => c.authorization && outcomes.get(c)!.status === 'accepted')
      .map((c) => ({ c, ledgerReference: (outcomes.get(c) as { ledgerReference: string | null }).ledgerReference }));
    await this.repository.insertEvents(
      manager,
      captured.map(({ c, ledgerReference }) => this.usageRow(vendorAccountId, c, ledgerReference, now)),
    );
    await this.repository.setKeyReferences(
      manager,
      vendorAccountId,
      captured.flatMap(({ c, ledgerReference }) =>
        ledgerReference ? [{ eventId: c.event.eventId, ledgerReference }] : [],
      ),
    );
    const accepted = mine.filter((c) => outcomes.get(c)!.status === 'accepted');
    await this.subsidise(manager, vendorAccountId, accepted);
    await this.rebateFees(manager, vendorAccountId, accepted, now);

    for (const candidate of candidates) candidate.slot.outcome = outcomes.get(candidate)!;
    this.resolveCopies(slots, storedByEventId);
    await this.recordRejections(manager, vendorAccountId, slots, now);
  }

  private usageRow(vendorAccountId: string, c: Candidate, ledgerReference: string | null, now: Date): NewUsageEvent {
    return {
      id: c.usageEventId,
      accountId: vendorAccountId,
      eventId: c.event.eventId,
      occurredAt: c.event.occurredAt,
      mandateId: c.terms.id,
      payerAccountId: c.terms.payerAccountId,
      productId: c.price.productId,
      priceId: c.price.id,
      currency: c.terms.currency,
      quantities: c.event.quantities,
      amount: c.rated.amount,
      exactNumerator: c.rated.exactNumerator,
      exactDenominator: c.rated.exactDenominator,
      fee: c.fee,
      authorizationId: c.authorization?.id ?? null,
      ledgerReference,
      metadata: c.event.metadata,
      createdAt: now,
    };
  }

  /** Deterministic per event (and per timestamp, so an id reused after the dedup window is a new reference). */
  private chargeReference(vendorAccountId: string, c: Candidate): string {
    return `usage:${vendorAccountId}:${c.event.eventId}:${c.event.occurredAt.getTime()}`;
  }

  /**
   * Later copies of an id in the same request read as if the events had been sent one after the other: the same
   * content as what the id stands for is a duplicate of it (or the same rejection), other content a conflict.
   */
  private resolveCopies(slots: Slot[], storedByEventId: Map<string, { contentHash: Buffer; outcome: UsageOutcome }>) {
    const conflict: UsageOutcome = {
      status: 'conflict',
      rejection: rejection('event_id_conflict', 'This id was already used with other content; nothing was charged.'),
    };
    for (const slot of slots) {
      if (slot.copyOf === null) continue;
      const first = slots[slot.copyOf];
      const hash = slot.event!.contentHash;
      if (first.outcome!.status === 'conflict') {
        const stored = storedByEventId.get(slot.event!.eventId);
        slot.outcome = stored && stored.contentHash.equals(hash) ? stored.outcome : conflict;
      } else if (!first.event!.contentHash.equals(hash)) {
        slot.outcome = conflict;
      } else {
        const outcome = first.outcome!;
        slot.outcome = outcome.status === 'accepted' ? { ...outcome, status: 'duplicate' } : outcome;
      }
    }
  }

  /**
   * Captures a batch's usage against one locked authorization: events are taken in order while they fit in
   * what is still held, then moved in one capture that keeps holding the rest. Returns whether it captured.
   */
  private async captureUsage(
    manager: EntityManager,
    authorization: UsageAuthorization,
    candidates: Candidate[],
    now: Date,
    accept: (c: Candidate, ledgerReference: string | null) => void,
    decline: (c: Candidate, code: UsageRejection['code'], message: string) => void,
  ): Promise<boolean> {
    if (authorization.status !== 'active') {
      for (const c of candidates)
        decline(c, 'authorization_not_active', `The authorization is ${authorization.status}.`);
      return false;
    }
    if (authorization.expiresAt.getTime() <= now.getTime()) {
      for (const c of candidates) decline(c, 'authorization_expired', 'The authorization has expired.');
      return false;
    }
    let room = remainingOf(authorization);
    let amount = 0n;
    let fee = 0n;
    const taken: Candidate[] = [];
    for (const c of candidates) {
      if (c.rated.amount > room) {
        decline(c, 'authorization_exceeded', 'The event costs more than the authorization still holds.');
        continue;
      }
      room -= c.rated.amount;
      amount += c.rated.amount;
      fee += c.fee;
      taken.push(c);
    }
    if (taken.length === 0) return false;
    const ledgerReference =
      amount > 0n
        ? await this.settlement.capture(manager, authorization, {
            amount,
            fee,
            final: false,
            type: 'usage_charge',
            at: now,
          })
        : null;
    for (const c of taken) accept(c, ledgerReference);
    return amount > 0n;
  }

  /** Lets incentive programs pay part of the accepted charges (they record what they pay themselves). */
  private async subsidise(manager: EntityManager, vendorAccountId: string, accepted: Candidate[]): Promise<void> {
    const byCurrency = new Map<string, Candidate[]>();
    for (const c of accepted) {
      if (c.rated.amount === 0n) continue;
      addTo(byCurrency, c.terms.currency, c);
    }
    for (const [currency, list] of byCurrency) {
      await this.subsidies.subsidise(manager, {
        vendorAccountId,
        currency,
        charges: list.map((c) => ({
          usageEventId: c.usageEventId,
          payerAccountId: c.terms.payerAccountId,
          productId: c.price.productId,
          amount: c.rated.amount,
          occurredAt: c.event.occurredAt,
        })),
      });
    }
  }

  /** Fee discounts of the vendor, paid back per accepted event with a fee (see FeeRebateHook). */
  private async rebateFees(
    manager: EntityManager,
    vendorAccountId: string,
    accepted: Candidate[],
    now: Date,
  ): Promise<void> {
    const byCurrency = new Map<string, Candidate[]>();
    for (const c of accepted) {
      if (c.fee === 0n) continue;
      addTo(byCurrency, c.terms.currency, c);
    }
    for (const [currency, list] of byCurrency) {
      await this.rebates.rebate(manager, {
        receiverAccountId: vendorAccountId,
        currency,
        schedule: list[0].schedule,
        at: now,
        charges: list.map((c) => ({
          sourceType: 'usage_event',
          sourceId: c.usageEventId,
          amount: c.rated.amount,
          fee: c.fee,
        })),
      });
    }
  }

  /** Stores what was not accepted and tells the vendor in one `usage.rejected` event per request. */
  private async recordRejections(
    manager: EntityManager,
    vendorAccountId: string,
    slots: Slot[],
    now: Date,
  ): Promise<void> {
    const refused = slots.filter((slot) => slot.outcome!.status === 'rejected' || slot.outcome!.status === 'conflict');
    if (refused.length === 0) return;
    const rows = refused.map((slot): NewUsageRejection => {
      const outcome = slot.outcome as Extract<UsageOutcome, { status: 'rejected' | 'conflict' }>;
      return {
        id: newId('ue', now.getTime()),
        accountId: vendorAccountId,
        eventId: slot.eventId,
        status: outcome.status,
        code: outcome.rejection.code,
        message: outcome.rejection.message,
        occurredAt: slot.event?.occurredAt ?? null,
        mandateId: slot.event?.mandateId ?? null,
        productId: slot.event?.productId ?? null,
        priceId: slot.event?.priceId ?? null,
        payload: clip(slot.raw),
        requestId: slot.context.requestId,
        createdAt: now,
      };
    });
    await this.repository.insertRejections(manager, rows);
    const byRequest = new Map<UsageRequestContext, NewUsageRejection[]>();
    refused.forEach((slot, i) => addTo(byRequest, slot.context, rows[i]));
    await this.events.recordMany(
      manager,
      [...byRequest].map(([context, list]) => ({
        accountId: vendorAccountId,
        type: 'usage.rejected',
        requestId: context.requestId,
        object: {
          object: 'usage_rejection_list',
          count: list.length,
          data: list.map((row) => ({
            id: row.eventId,
            code: row.code,
            message: row.message,
            status: row.status,
            usage_event: row.id,
          })),
          request_id: context.requestId,
        },
      })),
    );
  }

  private isMissingPartition(error: unknown): boolean {
    const driver =
      (error as { driverError?: { code?: string; message?: string } }).driverError ??
      (error as { code?: string; message?: string });
    return driver?.code === NO_PARTITION_FOR_ROW && /no partition/i.test(driver.message ?? '');
  }
}
