import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { formatAmount } from '../../../../libs/money/src/index.js';
import { ApiError } from '../../../common/errors/api-error.js';
import { RetryableTransactionError } from '../../../database/transaction-runner.js';
import { LedgerService } from '../../../ledger/ledger.service.js';
import { LedgerError } from '../../../ledger/ledger.error.js';
import type { HoldInput, LedgerAccountKey, LedgerLeg } from '../../../ledger/ledger.types.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import { effectiveStatus, spentOn, utcDay, type Mandate } from '../../mandate.entity.js';
import { MandatesRepository } from '../../mandates.repository.js';
import { mandateEvents } from '../../mandates.service.js';
import type {
  DeclineCode,
  SpendCharge,
  SpendEachInput,
  SpendInput,
  SpendManyInput,
  SpendOutcome,
  SpendResult,
} from './spend.types.js';

export function walletKey(payerAccountId: string, currency: string): LedgerAccountKey {
  return { owner: payerAccountId, purpose: 'wallet', currency };
}

/** The legs of charges paid from a wallet: net to the receiver's pending balance, fee to the platform. */
export function chargeLegs(
  payerAccountId: string,
  receiverAccountId: string,
  currency: string,
  net: bigint,
  fee: bigint,
) {
  const legs: LedgerLeg[] = [];
  const wallet = walletKey(payerAccountId, currency);
  if (net > 0n)
    legs.push({ debit: wallet, credit: { owner: receiverAccountId, purpose: 'pending', currency }, amount: net });
  if (fee > 0n) legs.push({ debit: wallet, credit: { owner: 'platform', purpose: 'fees', currency }, amount: fee });
  return legs;
}

/**
 * The one place that decides whether a payer may spend (payments and Token Pay both call it).
 *
 * Contract: `spend(manager, input)` runs inside the caller's transaction and
 *  1. locks the mandate row (FOR UPDATE), so every spend on one mandate is serialised, the payer's wallet
 *     row (FOR UPDATE), so every debit of one wallet is serialised, and the receiver's account row (FOR
 *     SHARE), so a concurrent disable cannot interleave;
 *  2. declines every charge at once when the receiver lacks charges_enabled, or the mandate is revoked,
 *     expired, does not name the receiver, or is in another currency;
 *  3. walks the charges in order: each must fit the per-payment limit, the remaining total budget, the
 *     remaining per-day (UTC) limit and the wallet's available balance (read under lock), cumulatively with
 *     the charges accepted before it; a charge that does not fit is declined and the walk goes on;
 *  4. moves the money: posted charges in ONE ledger transaction (wallet → receiver pending for the net,
 *     wallet → platform fees for the fee), each held charge in its own pending transaction;
 *  5. adds the accepted charges to the mandate's counters (holds count too) and marks it exhausted when
 *     the budget is used up.
 * Declines move nothing and never throw; invalid input (non-positive amount, fee outside 0..amount) throws.
 * The caller records its own objects (payments, usage rows) with the outcomes, in the same transaction.
 */
@Injectable()
export class MandateSpendService {
  constructor(
    private readonly mandates: MandatesRepository,
    private readonly ledger: LedgerService,
    private readonly events: EventRecorder,
  ) {}

  async spend(manager: EntityManager, input: SpendInput): Promise<SpendResult> {
    const at = input.at ?? new Date();
    const day = utcDay(at);
    const locked = await this.mandates.lockForSpend(manager, input.mandateId, input.receiverAccountId);
    if (!locked) throw ApiError.notFound('mandate', input.mandateId, 'mandate');
    const { mandate, receiver } = locked;
    const feeOf = input.priceFees && receiver ? await input.priceFees(receiver) : null;
    const charges = feeOf ? input.charges.map((charge) => ({ ...charge, fee: feeOf(charge.amount) })) : input.charges;
    charges.forEach(checkCharge);
    const result: SpendResult = {
      mandate: { id: mandate.id, payerAccountId: mandate.payerAccountId, agentId: mandate.agentId },
      countedDay: day,
      outcomes: [],
      fees: charges.map((charge) => charge.fee),
    };

    const refusal = await this.refuseAll(manager, mandate, receiver?.enabled === true, input, at);
    if (refusal) {
      result.outcomes = charges.map(() => ({ status: 'declined', ...refusal }));
      return result;
    }

    // One charge (the common case) skips the balance read: the ledger refuses an overdraft by itself without
    // spoiling the transaction. A batch needs the balance to decide charge by charge; it is stable until
    // commit because lockForSpend holds the wallet row that every debit of this wallet takes first.
    const single = charges.length === 1;
    let available = single
      ? null
      : (await this.ledger.balance(walletKey(mandate.payerAccountId, input.currency), manager)).available;
    let spentTotal = mandate.spentTotal;
    let spentToday = spentOn(mandate, at);
    const threshold = mandate.confirmationThreshold;
    const posted: number[] = [];
    const held: number[] = [];
    const outcomes: Array<SpendOutcome | null> = charges.map((charge, index) => {
      const decline = this.limitDecline(mandate, charge.amount, spentTotal, spentToday, available);
      if (decline) return { status: 'declined', ...decline };
      spentTotal += charge.amount;
      spentToday += charge.amount;
      if (available !== null) available -= charge.amount;
      const hold =
        input.mode === 'hold' ||
        (input.mode === 'confirm_above_threshold' && threshold !== null && charge.amount > threshold);
      (hold ? held : posted).push(index);
      return null;
    });
    result.outcomes = outcomes as SpendOutcome[];
    if (posted.length === 0 && held.length === 0) return result;

    try {
      if (posted.length > 0) {
        const batch = posted.map((i) => charges[i]);
        const tx = await this.ledger.post(
          {
            reference: batch.length === 1 ? batch[0].reference : (input.batchReference ?? batchReference(batch)),
            type: input.type,
            sourceType: batch.length === 1 ? batch[0].sourceType : 'mandate',
            sourceId: batch.length === 1 ? batch[0].sourceId : mandate.id,
            legs: this.legs(mandate, input, batch),
          },
          manager,
        );
        for (const i of posted) result.outcomes[i] = { status: 'accepted', held: false, ledgerTransactionId: tx.id };
      }
      for (const i of held) {
        const charge = charges[i];
        const tx = await this.ledger.hold(
          {
            reference: charge.reference,
            type: input.type,
            sourceType: charge.sourceType,
            sourceId: charge.sourceId,
            legs: this.legs(mandate, input, [charge]),
            expiresAt: input.holdExpiresAt,
          },
          manager,
        );
        result.outcomes[i] = { status: 'accepted', held: true, ledgerTransactionId: tx.id };
      }
    } catch (error) {
      // Only the single-charge path gets here with insufficient funds, before anything moved.
      if (single && error instanceof LedgerError && error.code === 'insufficient_funds') {
        result.outcomes[0] = { status: 'declined', ...INSUFFICIENT_FUNDS };
        return result;
      }
      throw error;
    }

    const wasExhausted = mandate.status === 'exhausted';
    const exhausted = mandate.totalBudget !== null && spentTotal >= mandate.totalBudget;
    mandate.spentTotal = spentTotal;
    mandate.spentDay = day;
    mandate.spentDayAmount = spentToday;
    mandate.status = exhausted ? 'exhausted' : 'active';
    mandate.updatedAt = at;
    await this.mandates.saveCounters(manager, mandate.id, mandate, at);
    if (exhausted && !wasExhausted) {
      await this.events.recordMany(manager, mandateEvents('mandate.exhausted', mandate, at));
    }
    return result;
  }

  private legs(mandate: Mandate, input: SpendInput, charges: SpendCharge[]): LedgerLeg[] {
    let fee = 0n;
    let net = 0n;
    for (const charge of charges) {
      fee += charge.fee;
      net += charge.amount - charge.fee;
    }
    return chargeLegs(mandate.payerAccountId, input.receiverAccountId, input.currency, net, fee);
  }

  /** Refusals that hold for the whole batch, checked in the order a payer would want them explained. */
  private async refuseAll(
    manager: EntityManager,
    mandate: Mandate,
    receiverEnabled: boolean,
    input: SpendInput,
    at: Date,
  ): Promise<{ declineCode: DeclineCode; message: string } | null> {
    if (!receiverEnabled) {
      return { declineCode: 'receiver_not_enabled', message: 'The receiving account cannot accept charges yet.' };
    }
    if (mandate.status === 'revoked') {
      return { declineCode: 'mandate_revoked', message: 'The payer revoked this mandate.' };
    }
    if (effectiveStatus(mandate, at) === 'expired') {
      if (mandate.status !== 'expired') {
        await this.mandates.markExpired(manager, mandate, at);
        await this.events.recordMany(manager, mandateEvents('mandate.expired', mandate, at));
      }
      return { declineCode: 'mandate_expired', message: 'This mandate has expired.' };
    }
    if (!mandate.payeeAccountIds.includes(input.receiverAccountId)) {
      return { declineCode: 'payee_not_allowed', message: 'This mandate does not allow payments to this account.' };
    }
    if (mandate.currency !== input.currency) {
      return {
        declineCode: 'currency_mismatch',
        message: `This mandate pays in ${mandate.currency}, not ${input.currency}.`,
      };
    }
    return null;
  }

  private limitDecline(
    mandate: Mandate,
    amount: bigint,
    spentTotal: bigint,
    spentToday: bigint,
    available: bigint | null,
  ): { declineCode: DeclineCode; message: string } | null {
    const currency = mandate.currency;
    if (mandate.maxAmountPerPayment !== null && amount > mandate.maxAmountPerPayment) {
      return {
        declineCode: 'mandate_limit_exceeded',
        message: `The amount is above the mandate's limit of ${formatAmount(mandate.maxAmountPerPayment, currency)} per payment.`,
      };
    }
    if (mandate.totalBudget !== null && spentTotal + amount > mandate.totalBudget) {
      return {
        declineCode: 'mandate_budget_exhausted',
        message: `The mandate has ${formatAmount(mandate.totalBudget - spentTotal, currency)} of its budget left.`,
      };
    }
    if (mandate.maxAmountPerDay !== null && spentToday + amount > mandate.maxAmountPerDay) {
      return {
        declineCode: 'mandate_limit_exceeded',
        message: `The mandate has ${formatAmount(mandate.maxAmountPerDay - spentToday, currency)} of today's limit left.`,
      };
    }
    if (available !== null && amount > available) return INSUFFICIENT_FUNDS;
    return null;
  }

  /**
   * spend() for many mandates at once, for batch callers: the same decisions, taken with set-based reads and
   * writes. Locks every mandate (id order), then every payer's wallet (account order), then the receiver
   * (lockForSpends: the order of a single spend, so the two never deadlock); reads all wallet balances in
   * one query; walks each mandate's charges with the same refusals and limits as spend(), a wallet shared by
   * several mandates counting down across them; posts every accepted charge in ONE ledger transaction (one
   * pair of legs per payer) and saves every mandate's counters, both in one round trip. Post mode only: no
   * holds. A mandate that does not exist throws 404, like spend(); declines never throw.
   *
   * `optimistic` (see SpendManyInput) skips the balance read, decides on an unlocked read of the receiver, and
   * locks the wallets and then the receiver only in the round trip of the posting, so that the wallets stay
   * locked for the shortest time; an overdraft then throws LedgerError('insufficient_funds') and the caller runs
   * its transaction again without the flag, and a receiver disabled in between throws RetryableTransactionError.
   */
  async spendMany(manager: EntityManager, input: SpendManyInput): Promise<SpendResult[]> {
    const at = input.at ?? new Date();
    const day = utcDay(at);
    const optimistic = input.optimistic === true;
    const locked = await this.mandates.lockForSpends(
      manager,
      input.groups.map((group) => group.mandateId),
      [input.receiverAccountId],
      { later: optimistic },
    );
    const byId = locked.mandates;
    const mandates = [...byId.values()];
    const receiver = locked.receivers.get(input.receiverAccountId) ?? null;
    const missing = input.groups.find((group) => !byId.has(group.mandateId));
    if (missing) throw ApiError.notFound('mandate', missing.mandateId, 'mandate');
    const feeOf = input.priceFees && receiver ? await input.priceFees(receiver) : null;
    const groups = input.groups.map((group) => ({
      mandate: byId.get(group.mandateId)!,
      charges: feeOf ? group.charges.map((charge) => ({ ...charge, fee: feeOf(charge.amount) })) : group.charges,
    }));
    groups.flatMap((group) => group.charges).forEach(checkCharge);
    const payers = [...new Set(mandates.map((mandate) => mandate.payerAccountId))];
    /** Each payer's available balance, counted down charge by charge (not read when optimistic). */
    const available = new Map<string, bigint>();
    if (!optimistic) {
      const balances = await this.ledger.balances(
        payers.map((payer) => walletKey(payer, input.currency)),
        manager,
      );
      payers.forEach((payer, i) => available.set(payer, balances[i].available));
    }
    const moved = new Map<string, { net: bigint; fee: bigint }>();
    const changed: Mandate[] = [];
    const exhausted: Mandate[] = [];
    const accepted: Array<{ result: SpendResult; index: number }> = [];
    const results: SpendResult[] = [];
    for (const { mandate, charges } of groups) {
      const result: SpendResult = {
        mandate: { id: mandate.id, payerAccountId: mandate.payerAccountId, agentId: mandate.agentId },
        countedDay: day,
        outcomes: [],
        fees: charges.map((charge) => charge.fee),
      };
      results.push(result);
      const single: SpendInput = { ...input, mandateId: mandate.id, charges, mode: 'post' };
      const refusal = await this.refuseAll(manager, mandate, receiver?.enabled === true, single, at);
      if (refusal) {
        result.outcomes = charges.map(() => ({ status: 'declined', ...refusal }));
        continue;
      }
      let spentTotal = mandate.spentTotal;
      let spentToday = spentOn(mandate, at);
      let wallet = optimistic ? null : (available.get(mandate.payerAccountId) ?? 0n);
      const sums = moved.get(mandate.payerAccountId) ?? { net: 0n, fee: 0n };
      result.outcomes = charges.map((charge, index): SpendOutcome => {
        const decline = this.limitDecline(mandate, charge.amount, spentTotal, spentToday, wallet);
        if (decline) return { status: 'declined', ...decline };
        spentTotal += charge.amount;
        spentToday += charge.amount;
        if (wallet !== null) wallet -= charge.amount;
        sums.net += charge.amount - charge.fee;
        sums.fee += charge.fee;
        accepted.push({ result, index });
        return { status: 'accepted', held: false, ledgerTransactionId: '' };
      });
      if (wallet !== null) available.set(mandate.payerAccountId, wallet);
      moved.set(mandate.payerAccountId, sums);
      if (spentTotal !== mandate.spentTotal) {
        const wasExhausted = mandate.status === 'exhausted';
        mandate.spentTotal = spentTotal;
        mandate.spentDay = day;
        mandate.spentDayAmount = spentToday;
        mandate.status = mandate.totalBudget !== null && spentTotal >= mandate.totalBudget ? 'exhausted' : 'active';
        mandate.updatedAt = at;
        changed.push(mandate);
        if (mandate.status === 'exhausted' && !wasExhausted) exhausted.push(mandate);
      }
    }
    if (accepted.length === 0) return results;

    const debited = [...moved].filter(([, sums]) => sums.net + sums.fee > 0n);
    const prepared = await this.ledger.prepareMany(
      [
        {
          kind: 'transfer',
          input: {
            reference: input.reference,
            type: input.type,
            sourceType: 'mandate_batch',
            sourceId: input.receiverAccountId,
            legs: debited.flatMap(([payer, sums]) =>
              chargeLegs(payer, input.receiverAccountId, input.currency, sums.net, sums.fee),
            ),
          },
        },
      ],
      manager,
    );
    for (const { result, index } of accepted) {
      result.outcomes[index] = { status: 'accepted', held: false, ledgerTransactionId: prepared.ids[0] };
    }
    // One round trip, in this order: the wallets and the receiver (optimistic only), the posting, the counters.
    const [receiverEnabled] = await Promise.all([
      optimistic
        ? this.mandates.lockWalletsAndReceiver(
            manager,
            debited.map(([payer]) => payer).sort(),
            input.currency,
            input.receiverAccountId,
          )
        : null,
      prepared.apply(),
      this.saveSpent(manager, changed, exhausted, at),
    ]);
    if (optimistic && receiverEnabled !== true) {
      // Disabled between the unlocked read and the lock: roll back and decide again with what is committed now.
      throw new RetryableTransactionError('The receiving account changed while its charges were decided.');
    }
    return results;
  }

  /**
   * Many independent single-charge spends in one transaction (see SpendEachInput), with set-based locks and
   * reads: every mandate (id order), then every payer's wallet ((account, currency) order), then every receiver
   * FOR SHARE (lockForSpends: the order of spend(), so batches and single spends queue instead of deadlocking);
   * all wallet balances in one read; each item walked in order with spend()'s refusals and limits, counters and
   * wallet balances carried from one item to the next; every accepted charge posted (or held) as its own ledger
   * transaction, all in one round trip; the counters of every mandate that moved saved in one statement.
   * Returns one result per item, in order; null for an item whose mandate does not exist (the caller answers
   * 404 for it alone). Declines never throw.
   */
  async spendEach(manager: EntityManager, input: SpendEachInput): Promise<Array<SpendResult | null>> {
    const at = input.at ?? new Date();
    const day = utcDay(at);
    const { mandates, receivers } = await this.mandates.lockForSpends(
      manager,
      input.items.map((item) => item.mandateId),
      input.items.map((item) => item.receiverAccountId),
    );
    const feeOf = new Map<string, (amount: bigint) => bigint>();
    if (input.priceFees) {
      for (const item of input.items) {
        const key = `${item.receiverAccountId}/${item.currency}`;
        const receiver = receivers.get(item.receiverAccountId);
        if (receiver && !feeOf.has(key)) feeOf.set(key, await input.priceFees(receiver, item.currency));
      }
    }
    const available = new Map<string, bigint | null>();
    const wallets = [...new Map([...mandates.values()].map((m) => [`${m.payerAccountId}/${m.currency}`, m])).values()];
    const balances = input.optimistic
      ? null
      : await this.ledger.balances(
          wallets.map((mandate) => walletKey(mandate.payerAccountId, mandate.currency)),
          manager,
        );
    wallets.forEach((mandate, i) =>
      available.set(`${mandate.payerAccountId}/${mandate.currency}`, balances ? balances[i].available : null),
    );
    const counters = new Map<string, { spentTotal: bigint; spentToday: bigint }>();
    const moves: Array<{ index: number; held: boolean; receiver: string; input: HoldInput }> = [];
    const results: Array<SpendResult | null> = [];
    for (const [index, item] of input.items.entries()) {
      const mandate = mandates.get(item.mandateId);
      if (!mandate) {
        results.push(null);
        continue;
      }
      const price = feeOf.get(`${item.receiverAccountId}/${item.currency}`);
      const charge = price ? { ...item.charge, fee: price(item.charge.amount) } : item.charge;
      checkCharge(charge);
      const result: SpendResult = {
        mandate: { id: mandate.id, payerAccountId: mandate.payerAccountId, agentId: mandate.agentId },
        countedDay: day,
        outcomes: [],
        fees: [charge.fee],
      };
      results.push(result);
      const single: SpendInput = {
        mandateId: item.mandateId,
        receiverAccountId: item.receiverAccountId,
        currency: item.currency,
        charges: [charge],
        type: input.type,
      };
      const refusal = await this.refuseAll(
        manager,
        mandate,
        receivers.get(item.receiverAccountId)?.enabled === true,
        single,
        at,
      );
      if (refusal) {
        result.outcomes = [{ status: 'declined', ...refusal }];
        continue;
      }
      const state = counters.get(mandate.id) ?? { spentTotal: mandate.spentTotal, spentToday: spentOn(mandate, at) };
      const wallet = `${mandate.payerAccountId}/${mandate.currency}`;
      const funds = available.get(wallet) ?? null;
      const decline = this.limitDecline(mandate, charge.amount, state.spentTotal, state.spentToday, funds);
      if (decline) {
        result.outcomes = [{ status: 'declined', ...decline }];
        continue;
      }
      state.spentTotal += charge.amount;
      state.spentToday += charge.amount;
      counters.set(mandate.id, state);
      if (funds !== null) available.set(wallet, funds - charge.amount);
      const threshold = mandate.confirmationThreshold;
      const held =
        input.mode === 'hold' ||
        (input.mode === 'confirm_above_threshold' && threshold !== null && charge.amount > threshold);
      result.outcomes = [{ status: 'accepted', held, ledgerTransactionId: '' }];
      moves.push({
        index,
        held,
        receiver: item.receiverAccountId,
        input: {
          reference: charge.reference,
          type: input.type,
          sourceType: charge.sourceType,
          sourceId: charge.sourceId,
          legs: chargeLegs(
            mandate.payerAccountId,
            item.receiverAccountId,
            item.currency,
            charge.amount - charge.fee,
            charge.fee,
          ),
          expiresAt: held ? input.holdExpiresAt : undefined,
        },
      });
    }
    // Receivers' balance rows are locked in one order by every batch (see LedgerService.transferMany).
    moves.sort((a, b) => (a.receiver < b.receiver ? -1 : a.receiver > b.receiver ? 1 : a.index - b.index));
    const prepared = await this.ledger.prepareMany(
      moves.map((move) => ({ kind: move.held ? 'hold' : 'transfer', input: move.input })),
      manager,
      input.shard,
    );
    moves.forEach((move, i) => {
      results[move.index]!.outcomes = [{ status: 'accepted', held: move.held, ledgerTransactionId: prepared.ids[i] }];
    });

    const changed: Mandate[] = [];
    const exhausted: Mandate[] = [];
    for (const [id, state] of counters) {
      const mandate = mandates.get(id)!;
      const wasExhausted = mandate.status === 'exhausted';
      mandate.spentTotal = state.spentTotal;
      mandate.spentDay = day;
      mandate.spentDayAmount = state.spentToday;
      mandate.status = mandate.totalBudget !== null && state.spentTotal >= mandate.totalBudget ? 'exhausted' : 'active';
      mandate.updatedAt = at;
      changed.push(mandate);
      if (mandate.status === 'exhausted' && !wasExhausted) exhausted.push(mandate);
    }
    // Independent writes of one transaction, sent together on the pipelined connection: one round trip in all.
    await Promise.all([prepared.apply(), this.saveSpent(manager, changed, exhausted, at), input.alongside?.(results)]);
    return results;
  }

  /**
   * The counters of the mandates that moved (one statement) and the events of those the batch exhausted, both
   * issued at once so that they join the caller's round trip on the pipelined connection.
   */
  private saveSpent(manager: EntityManager, changed: Mandate[], exhausted: Mandate[], at: Date): Promise<unknown> {
    return Promise.all([
      this.mandates.saveManyCounters(manager, changed, at),
      exhausted.length > 0
        ? this.events.recordMany(
            manager,
            exhausted.flatMap((mandate) => mandateEvents('mandate.exhausted', mandate, at)),
          )
        : null,
    ]);
  }
}

/** Invalid input, not a decline: 0 < amount and 0 ≤ fee ≤ amount. */
function checkCharge(charge: SpendCharge): void {
  if (charge.amount <= 0n || charge.fee < 0n || charge.fee > charge.amount) {
    throw ApiError.badRequest('invalid_charge', `Charge ${charge.reference} needs 0 < amount and 0 ≤ fee ≤ amount.`);
  }
}

const INSUFFICIENT_FUNDS = {
  declineCode: 'insufficient_funds' as const,
  message: "The payer's wallet does not cover this amount.",
};

/** A deterministic reference for a batch posting: the same accepted charges always map to the same reference. */
function batchReference(charges: SpendCharge[]): string {
  const hash = createHash('sha256');
  for (const charge of charges) hash.update(charge.reference).update('\n');
  return `spend:${hash.digest('base64url')}`;
}
