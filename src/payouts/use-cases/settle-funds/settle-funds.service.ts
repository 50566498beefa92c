import { setTimeout as delay } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { applyBasisPoints } from '../../../../libs/money/src/index.js';
import { addUtcDays, Clock, startOfUtcDay } from '../../../common/clock/clock.js';
import { ApiError } from '../../../common/errors/api-error.js';
import { newId } from '../../../common/ids.js';
import type { AppConfig } from '../../../config/app-config.js';
import { APP_CONFIG } from '../../../config/config.tokens.js';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import type { LedgerLeg } from '../../../ledger/ledger.types.js';
import { LedgerService } from '../../../ledger/ledger.service.js';
import { receiverAccount } from '../../ledger-keys.js';
import { PayoutSettingsService } from '../../payout-settings.service.js';
import {
  NewSettlementItem,
  RESERVE_RELEASE_TRANSACTION_TYPE,
  SETTLEMENT_TRANSACTION_TYPE,
  SettlementRepository,
} from '../../settlement.repository.js';

const BATCH = 500;
/** Ledger time one ingest transaction reads (besides the overlap it re-reads before its cursor). */
const INGEST_WINDOW_MS = 2_000;
/** Between two ingest windows, rest this many times as long as the last one took. */
const INGEST_REST_FACTOR = 2;
/** The longest a run waits for transactions that were writing when it started (see `ingest`). */
const INGEST_WAIT_MS = 5_000;
const INGEST_POLL_MS = 20;

export interface SettlementSummary {
  ingested: number;
  settled: number;
  reservesReleased: number;
}

/**
 * Moves receivers' funds from pending to available once their settlement delay has passed, keeping the rolling
 * reserve's share in `reserve` until its release day. One ledger transaction per account and currency per run:
 * pending → available for the net of every due item (payments, usage charges, subsidies, minus refunds), and
 * available → reserve for the reserve share of a positive net. A negative net (refunds larger than new income)
 * is taken from available when it covers it; otherwise the items wait and the account's negative pending balance
 * holds its payouts back.
 */
@Injectable()
export class SettleFundsService {
  private readonly logger = new Logger(SettleFundsService.name);

  constructor(
    private readonly repository: SettlementRepository,
    private readonly settings: PayoutSettingsService,
    private readonly ledger: LedgerService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(): Promise<SettlementSummary> {
    const ingested = await this.ingest({ waitForOpenWriters: true });
    const now = this.clock.now();
    let settled = 0;
    for (;;) {
      const groups = await this.repository.dueGroups(now, BATCH);
      let progressed = 0;
      for (const group of groups) {
        if (await this.settle(group.accountId, group.currency, now)) progressed += 1;
      }
      settled += progressed;
      if (groups.length < BATCH || progressed === 0) break;
    }
    let reservesReleased = 0;
    for (;;) {
      const due = await this.repository.dueReserveHolds(now, BATCH);
      for (const id of due) if (await this.release(id, now)) reservesReleased += 1;
      if (due.length < BATCH) break;
    }
    return { ingested, settled, reservesReleased };
  }

  /**
   * Records each new posted movement of a receiver's pending balance (one per ledger transaction) with gross, fee
   * and net, its business time (the ledger's time shifted by the clock offset) and the day its funds become
   * available: the start of that UTC day plus the account's settlement delay. The fee is the transaction's
   * movement of platform fees: payments, refunds and usage batches concern a single receiver; a transaction
   * that touches several receivers' pending balances reports no fee rather than guess a split.
   *
   * The movements since the last run are taken INGEST_WINDOW_MS of ledger time per transaction, so that memory
   * and transaction size stay bounded whatever the backlog; windows with nothing in them are skipped at once.
   * Between two windows the ingest rests twice as long as the last one took: it is bookkeeping for funds that
   * become available days later, and must not take a whole database core from the payments and usage being
   * charged (at 1,000 payments/s, a window is about 2,000 movements and 100 ms of work). A window also probes
   * every receiver's pending account once, so windows are not made much shorter.
   *
   * The ingest stops at the horizon (see SettlementRepository.lockCursor): what a transaction still writing
   * wrote is taken by a later run. `waitForOpenWriters` (a payout run, which should settle everything committed
   * before it) waits for the transactions writing when it started to finish, for at most INGEST_WAIT_MS.
   */
  async ingest(options: { waitForOpenWriters?: boolean } = {}): Promise<number> {
    let ingested = 0;
    let startedAt: Date | null = null;
    const deadline = performance.now() + INGEST_WAIT_MS;
    for (;;) {
      const started = performance.now();
      const step = await this.transactions.run((manager) => this.ingestWindow(manager));
      ingested += step.ingested;
      startedAt ??= step.now;
      if (step.caughtUp) {
        const waiting = options.waitForOpenWriters && step.horizon < startedAt && performance.now() < deadline;
        if (!waiting) return ingested;
        await delay(INGEST_POLL_MS);
      } else if (step.ingested > 0) {
        await delay((performance.now() - started) * INGEST_REST_FACTOR);
      }
    }
  }

  private async ingestWindow(
    manager: EntityManager,
  ): Promise<{ ingested: number; caughtUp: boolean; now: Date; horizon: Date }> {
    const offsetMs = this.clock.offsetMilliseconds();
    const { since, now, horizon } = await this.repository.lockCursor(manager);
    const done = (ingested: number, caughtUp: boolean) => ({ ingested, caughtUp, now, horizon });
    const windowEnd = new Date(since.getTime() + INGEST_WINDOW_MS);
    const caughtUp = windowEnd >= horizon;
    const before = caughtUp ? horizon : windowEnd;
    const movements = await this.repository.newPendingMovements(manager, since, before);
    if (movements.length === 0) {
      if (caughtUp) {
        await this.repository.moveCursor(manager, before);
        return done(0, caughtUp);
      }
      // Nothing in this window: the next one starts at the next movement, if any.
      const next = await this.repository.nextPendingEntryAt(manager, before);
      await this.repository.moveCursor(manager, next && next < horizon ? next : horizon);
      return done(0, next === null || next >= horizon);
    }
    const facts = await this.repository.describeTransactions(manager, [
      ...new Set(movements.map((m) => m.transactionId)),
    ]);
    const delays = await this.repository.settlementDelays(manager, [...new Set(movements.map((m) => m.accountId))]);
    const receiversPerTransaction = new Map<string, number>();
    for (const m of movements) {
      receiversPerTransaction.set(m.transactionId, (receiversPerTransaction.get(m.transactionId) ?? 0) + 1);
    }
    const items: NewSettlementItem[] = [];
    for (const m of movements) {
      const fact = facts.get(m.transactionId);
      if (!fact || fact.type === SETTLEMENT_TRANSACTION_TYPE || m.net === 0n) continue;
      const fee = receiversPerTransaction.get(m.transactionId) === 1 ? fact.fee : 0n;
      const occurredAt = new Date(m.createdAt.getTime() + offsetMs);
      items.push({
        accountId: m.accountId,
        currency: m.currency,
        ledgerTransactionId: m.transactionId,
        ledgerAccountId: m.ledgerAccountId,
        transactionType: fact.type,
        sourceType: fact.sourceType,
        sourceId: fact.sourceId,
        description: fact.description,
        gross: m.net + fee,
        fee,
        net: m.net,
        ledgerCreatedAt: m.createdAt,
        occurredAt,
        availableOn: addUtcDays(startOfUtcDay(occurredAt), delays.get(m.accountId) ?? this.config.settlementDelayDays),
      });
    }
    const inserted = await this.repository.insertItems(manager, items);
    // Everything before the window's end has been read.
    await this.repository.moveCursor(manager, before);
    return done(inserted, caughtUp);
  }

  private async settle(accountId: string, currency: string, now: Date): Promise<boolean> {
    const terms = await this.settings.settingsOf(accountId);
    try {
      return await this.transactions.run(async (manager) => {
        const items = await this.repository.lockDueItems(manager, accountId, currency, now);
        if (items.length === 0) return false;
        const net = items.reduce((sum, item) => sum + item.net, 0n);
        const id = newId('stl', now.getTime());
        const pending = receiverAccount(accountId, 'pending', currency);
        const available = receiverAccount(accountId, 'available', currency);
        const reserve = net > 0n ? applyBasisPoints(net, BigInt(terms.reserveBps)) : 0n;
        const legs: LedgerLeg[] = [];
        if (net > 0n) legs.push({ debit: pending, credit: available, amount: net });
        if (net < 0n) legs.push({ debit: available, credit: pending, amount: -net });
        if (reserve > 0n) {
          legs.push({ debit: available, credit: receiverAccount(accountId, 'reserve', currency), amount: reserve });
        }
        const transaction =
          legs.length === 0
            ? null
            : await this.ledger.post(
                {
                  reference: `settlement:${id}`,
                  type: SETTLEMENT_TRANSACTION_TYPE,
                  sourceType: 'settlement',
                  sourceId: id,
                  description: `Funds available on ${now.toISOString().slice(0, 10)}`,
                  legs,
                },
                manager,
              );
        await this.repository.insertSettlement(
          manager,
          {
            id,
            accountId,
            currency,
            amount: net,
            reserveAmount: reserve,
            ledgerTransactionId: transaction?.id ?? null,
            createdAt: now,
          },
          items.map((item) => item.id),
        );
        if (reserve > 0n) {
          await this.repository.insertReserveHold(manager, {
            id: newId('rsv', now.getTime()),
            accountId,
            currency,
            settlementId: id,
            amount: reserve,
            releaseOn: addUtcDays(startOfUtcDay(now), terms.reserveHoldDays),
            createdAt: now,
          });
        }
        return true;
      });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'insufficient_funds') {
        this.logger.log({
          msg: `Refunds for ${accountId} exceed its available ${currency} balance; they wait for income.`,
        });
        return false;
      }
      throw error;
    }
  }

  private async release(holdId: string, now: Date): Promise<boolean> {
    return this.transactions.run(async (manager) => {
      const hold = await this.repository.lockUnreleasedHold(manager, holdId);
      if (!hold) return false;
      const transaction = await this.ledger.post(
        {
          reference: `reserve_release:${hold.id}`,
          type: RESERVE_RELEASE_TRANSACTION_TYPE,
          sourceType: 'reserve_hold',
          sourceId: hold.id,
          description: 'Rolling reserve released',
          legs: [
            {
              debit: receiverAccount(hold.accountId, 'reserve', hold.currency),
              credit: receiverAccount(hold.accountId, 'available', hold.currency),
              amount: hold.amount,
            },
          ],
        },
        manager,
      );
      await this.repository.markReleased(manager, hold.id, transaction.id, now);
      return true;
    });
  }
}
