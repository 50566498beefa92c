import { Injectable, Logger } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { isCurrency } from '../../libs/money/src/index.js';
import { ApiError } from '../common/errors/api-error.js';
import { newId } from '../common/ids.js';
import { RetryableTransactionError, TransactionRunner } from '../database/transaction-runner.js';
import { accountKeyString, LedgerAccountCache } from './ledger-account-cache.js';
import { accountPolicy, isLedgerPurpose, PLATFORM_OWNER } from './ledger-chart.js';
import { contentHash, LegSide, StoredLeg, WritePlan } from './ledger-write-plan.js';
import { LedgerError } from './ledger.error.js';
import {
  ApplyTransaction,
  BalanceCounters,
  EntryCursor,
  EntryRecord,
  LedgerAccountRecord,
  LedgerRepository,
  LedgerTransactionRecord,
  TransactionKind,
} from './ledger.repository.js';
import type {
  HoldInput,
  LedgerAccountKey,
  LedgerBalance,
  LedgerEntryView,
  LedgerTransactionStatus,
  LedgerTransactionView,
  OpenAccountOptions,
  PostPendingInput,
  PostTransactionInput,
  PreparedTransfers,
  ReverseInput,
  VoidPendingInput,
} from './ledger.types.js';

/** NUMERIC(38,0) holds at most 38 digits. */
const MAX_AMOUNT = 10n ** 38n - 1n;
const RETRYABLE = new Set(['40001', '40P01']);
const ACCOUNT_CACHE_SIZE = 100_000;

interface WriteRequest {
  referenceOwner: string;
  reference: string;
  hash: Buffer;
  /** Builds the rows to write; called again after an evicted account id. */
  build(): Promise<{ tx: ApplyTransaction; plan: WritePlan }>;
  /** The error when the parent hold is no longer pending. */
  notPending?: () => LedgerError;
}

function errorCode(error: unknown): string | undefined {
  return (error as { driverError?: { code?: string } }).driverError?.code ?? (error as { code?: string } | null)?.code;
}

function toView(
  tx: Pick<
    LedgerTransactionRecord,
    'id' | 'reference' | 'referenceOwner' | 'type' | 'status' | 'sourceType' | 'sourceId' | 'parentId' | 'legs'
  >,
  createdAt: Date,
  replayed: boolean,
): LedgerTransactionView {
  return {
    id: tx.id,
    reference: tx.reference,
    referenceOwner: tx.referenceOwner,
    type: tx.type,
    status: tx.status,
    sourceType: tx.sourceType,
    sourceId: tx.sourceId,
    parentId: tx.parentId,
    legs: tx.legs.map((leg) => ({ debitAccountId: leg.d, creditAccountId: leg.c, amount: BigInt(leg.a) })),
    createdAt,
    replayed,
  };
}

function sideOf(leg: StoredLeg, side: 'debit' | 'credit'): LegSide {
  return side === 'debit'
    ? { accountId: leg.d, shard: leg.ds, currency: leg.cur }
    : { accountId: leg.c, shard: leg.cs, currency: leg.cur };
}

export function toLedgerBalance(account: LedgerAccountRecord, counters: BalanceCounters): LedgerBalance {
  const credit = account.normalBalance === 'credit';
  const posted = credit
    ? counters.creditsPosted - counters.debitsPosted
    : counters.debitsPosted - counters.creditsPosted;
  const pending = credit ? counters.debitsPending : counters.creditsPending;
  return {
    accountId: account.id,
    key: account.key,
    normalBalance: account.normalBalance,
    ...counters,
    posted,
    pending,
    available: posted - pending,
  };
}

export function toEntryView(entry: EntryRecord, normalBalance: 'debit' | 'credit'): LedgerEntryView {
  return {
    id: `${entry.transactionId}:${entry.ordinal}`,
    transactionId: entry.transactionId,
    ordinal: entry.ordinal,
    accountId: entry.accountId,
    shard: entry.shard,
    currency: entry.currency,
    direction: entry.direction,
    effect: entry.effect,
    amount: entry.amount,
    createdAt: entry.createdAt,
    resulting: {
      debitsPending: entry.debitsPending,
      debitsPosted: entry.debitsPosted,
      creditsPending: entry.creditsPending,
      creditsPosted: entry.creditsPosted,
    },
    resultingPosted:
      normalBalance === 'credit' ? entry.creditsPosted - entry.debitsPosted : entry.debitsPosted - entry.creditsPosted,
  };
}

const ZERO: BalanceCounters = { debitsPending: 0n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 0n };

/**
 * The only writer of money. Every movement is one call of the database function ledger_apply, which locks the
 * balance rows in a fixed order, checks floors, claims the idempotency reference and writes the transaction,
 * its entries and the new balances in one round trip. Pass the caller's EntityManager to move money atomically
 * with the caller's own rows; refusals (LedgerError) leave that transaction usable, because nothing is written
 * and no SQL error is raised for them.
 */
@Injectable()
export class LedgerService {
  private readonly logger = new Logger(LedgerService.name);
  private readonly accounts = new LedgerAccountCache(ACCOUNT_CACHE_SIZE);
  /** Spreads concurrent writers of one sharded account over its shards. */
  private shardCursor = randomInt(0, 1 << 20);

  constructor(
    private readonly repository: LedgerRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Gets or creates the account (race-free) and returns its id. Options apply only when it is created. */
  async openAccount(key: LedgerAccountKey, manager?: EntityManager, options: OpenAccountOptions = {}): Promise<string> {
    this.checkKey(key, 'key');
    if (
      options.shards !== undefined &&
      (!Number.isInteger(options.shards) || options.shards < 1 || options.shards > 256)
    ) {
      throw new LedgerError('invalid_legs', 'An account has 1 to 256 shards.', 'shards');
    }
    const account = (await this.resolveAccounts(manager, [key], options)).get(accountKeyString(key))!;
    const wanted = accountPolicy(key, options);
    if (
      (options.floor !== undefined && account.floor !== wanted.floor) ||
      (options.shards !== undefined && account.shards !== wanted.shards)
    ) {
      throw new LedgerError(
        'ledger_account_conflict',
        `The ledger account ${key.owner}/${key.purpose}/${key.currency} exists with another floor or shard count.`,
      );
    }
    return account.id;
  }

  /**
   * Gets or creates many accounts (default policies) in a few statements, for a caller about to move money for
   * thousands of owners at once, such as a scheduled payout run.
   */
  async openAccounts(keys: LedgerAccountKey[], manager?: EntityManager): Promise<void> {
    keys.forEach((key, index) => this.checkKey(key, `keys[${index}]`));
    await this.resolveAccounts(manager, keys);
  }

  /** Posts a transaction of N legs at once. */
  post(input: PostTransactionInput, manager?: EntityManager): Promise<LedgerTransactionView> {
    return this.transfer('transfer', input, manager);
  }

  /** Places a hold: the legs are pending until posted, voided or expired. */
  hold(input: HoldInput, manager?: EntityManager): Promise<LedgerTransactionView> {
    return this.transfer('hold', input, manager);
  }

  /** Posts a hold, fully or per leg up to what was held; what is not posted is released. */
  async postPending(
    transactionId: string,
    input: PostPendingInput,
    manager?: EntityManager,
  ): Promise<LedgerTransactionView> {
    const referenceOwner = this.checkReference(input);
    const hash = contentHash(['post_pending', transactionId, input.amounts?.map(String) ?? null]);
    const hold = await this.repository.findTransaction(manager, transactionId);
    if (!hold) throw ApiError.notFound('ledger_transaction', transactionId);
    const refuse = (error: LedgerError) => this.replayOr(manager, referenceOwner, input.reference, hash, error);
    if (hold.kind !== 'hold' || hold.status !== 'pending') return refuse(this.notPending(hold));
    const held = hold.legs.map((leg) => BigInt(leg.a));
    const amounts = input.amounts ?? held;
    if (amounts.length !== held.length) {
      return refuse(
        new LedgerError('invalid_amount', `Give one amount per leg of the hold (${held.length}).`, 'amounts'),
      );
    }
    for (const [i, amount] of amounts.entries()) {
      if (typeof amount !== 'bigint' || amount < 0n) {
        return refuse(new LedgerError('invalid_amount', 'Amounts must be bigint nanos ≥ 0.', `amounts[${i}]`));
      }
      if (amount > held[i]) {
        return refuse(
          new LedgerError(
            'amount_exceeds_hold',
            `Leg ${i} holds ${held[i]} nanos; cannot post ${amount}.`,
            `amounts[${i}]`,
          ),
        );
      }
    }
    if (amounts.every((amount) => amount === 0n)) {
      return refuse(new LedgerError('invalid_amount', 'Posting nothing: void the hold instead.', 'amounts'));
    }
    return this.write(manager, {
      referenceOwner,
      reference: input.reference,
      hash,
      notPending: () => this.notPending(hold),
      build: async () => {
        const plan = new WritePlan();
        hold.legs.forEach((leg, i) => {
          const debit = sideOf(leg, 'debit');
          const credit = sideOf(leg, 'credit');
          plan.move('release', debit, credit, held[i]);
          if (amounts[i] > 0n) {
            plan.move('post', debit, credit, amounts[i]);
            plan.addLeg(debit, credit, amounts[i], i);
          }
        });
        return {
          plan,
          tx: this.childTransaction(hold, 'post_pending', 'posted', referenceOwner, input.reference, hash, plan),
        };
      },
    });
  }

  /**
   * postPending (in full) for many holds inside the caller's transaction: the holds read in one query and every
   * posting written in one round trip. A hold that is no longer pending goes through postPending on its own, which
   * answers a replay or refuses exactly as it would alone. Any other refusal throws, and the caller rolls back.
   */
  async postPendingMany(
    requests: Array<{ transactionId: string; reference: string }>,
    manager: EntityManager,
  ): Promise<LedgerTransactionView[]> {
    if (requests.length === 0) return [];
    const holds = await this.repository.findTransactionsIn(
      manager,
      requests.map((request) => request.transactionId),
    );
    const planned: Array<{ index: number; tx: ApplyTransaction; plan: WritePlan }> = [];
    const views: LedgerTransactionView[] = new Array(requests.length);
    for (const [index, request] of requests.entries()) {
      const hold = holds.get(request.transactionId);
      if (!hold || hold.kind !== 'hold' || hold.status !== 'pending') {
        views[index] = await this.postPending(request.transactionId, { reference: request.reference }, manager);
        continue;
      }
      const referenceOwner = this.checkReference(request);
      const hash = contentHash(['post_pending', hold.id, null]);
      const plan = new WritePlan();
      hold.legs.forEach((leg, i) => {
        const debit = sideOf(leg, 'debit');
        const credit = sideOf(leg, 'credit');
        plan.move('release', debit, credit, BigInt(leg.a));
        plan.move('post', debit, credit, BigInt(leg.a));
        plan.addLeg(debit, credit, BigInt(leg.a), i);
      });
      const tx = this.childTransaction(hold, 'post_pending', 'posted', referenceOwner, request.reference, hash, plan);
      planned.push({ index, tx, plan });
    }
    const outcomes = await this.repository.applyMany(
      manager,
      planned.map(({ tx, plan }) => ({ tx, plan: plan.toParams() })),
    );
    outcomes.forEach((outcome, i) => {
      const { index, tx } = planned[i];
      if (outcome.result !== 'applied') {
        throw new Error(`Posting hold ${tx.parentId} (${tx.reference}) in a batch was refused: ${outcome.result}.`);
      }
      views[index] = toView(tx, outcome.createdAt, false);
    });
    return views;
  }

  /** Voids a hold: everything held is released. */
  voidPending(transactionId: string, input: VoidPendingInput, manager?: EntityManager): Promise<LedgerTransactionView> {
    return this.release(transactionId, 'void_pending', input, manager);
  }

  /**
   * Expires the pending holds whose expiresAt is at or before `now` (status 'expired'); returns how many.
   * Safe to run concurrently and twice: each expiry has the deterministic reference `expire:<hold id>`.
   */
  async expirePending(now: Date = new Date(), limit = 500): Promise<number> {
    let expired = 0;
    for (const id of await this.repository.findExpiredHolds(now, limit)) {
      try {
        const view = await this.expireHold(id);
        if (!view.replayed) expired++;
      } catch (error) {
        if (!(error instanceof LedgerError && error.code === 'transaction_not_pending')) throw error;
      }
    }
    return expired;
  }

  /** Expires one hold now, whatever its expiresAt (the maintenance job decides when). */
  expireHold(holdId: string, manager?: EntityManager): Promise<LedgerTransactionView> {
    return this.release(holdId, 'expire_pending', { reference: `expire:${holdId}` }, manager);
  }

  /**
   * Reverses a posted transaction (fully, or per leg up to what remains unreversed) with a new transaction whose
   * legs are swapped and whose parentId is the original. Reversing a posted hold reverses its posting.
   */
  reverse(transactionId: string, input: ReverseInput, manager?: EntityManager): Promise<LedgerTransactionView> {
    const referenceOwner = this.checkReference(input);
    const type = input.type ?? 'reversal';
    const hash = contentHash([
      'reversal',
      transactionId,
      input.amounts?.map(String) ?? null,
      type,
      input.sourceType ?? null,
      input.sourceId ?? null,
    ]);
    // The original's row lock orders concurrent partial reversals; what remains is read after it is held.
    return this.transactions.within(manager, async (m) => {
      let original = await this.repository.lockTransaction(m, transactionId);
      if (!original) throw ApiError.notFound('ledger_transaction', transactionId);
      const replay = await this.findReplay(m, referenceOwner, input.reference, hash);
      if (replay) return replay;
      if (original.kind === 'hold' && original.status === 'posted') {
        const posting = (await this.repository.findChildren(m, original.id)).find((c) => c.kind === 'post_pending');
        if (posting) original = (await this.repository.lockTransaction(m, posting.id))!;
      }
      if (original.status !== 'posted' || original.kind === 'hold') {
        throw new LedgerError(
          'transaction_not_reversible',
          `Ledger transaction ${original.id} is ${original.status}; only posted transactions can be reversed.`,
        );
      }
      const parent = original;
      const remaining = parent.legs.map((leg) => BigInt(leg.a));
      for (const child of await this.repository.findChildren(m, parent.id)) {
        if (child.kind !== 'reversal') continue;
        for (const leg of child.legs) remaining[leg.o!] -= BigInt(leg.a);
      }
      const amounts = input.amounts ?? remaining;
      if (amounts.length !== remaining.length) {
        throw new LedgerError('invalid_amount', `Give one amount per leg (${remaining.length}).`, 'amounts');
      }
      for (const [i, amount] of amounts.entries()) {
        if (typeof amount !== 'bigint' || amount < 0n) {
          throw new LedgerError('invalid_amount', 'Amounts must be bigint nanos ≥ 0.', `amounts[${i}]`);
        }
        if (amount > remaining[i]) {
          throw new LedgerError(
            'amount_exceeds_reversible',
            `Leg ${i} has ${remaining[i]} nanos left to reverse; cannot reverse ${amount}.`,
            `amounts[${i}]`,
          );
        }
      }
      if (amounts.every((amount) => amount === 0n)) {
        throw input.amounts
          ? new LedgerError('invalid_amount', 'Reversing nothing.', 'amounts')
          : new LedgerError('transaction_not_reversible', `Ledger transaction ${parent.id} is already fully reversed.`);
      }
      return this.write(m, {
        referenceOwner,
        reference: input.reference,
        hash,
        build: async () => {
          const plan = new WritePlan();
          parent.legs.forEach((leg, i) => {
            if (amounts[i] === 0n) return;
            const debit = sideOf(leg, 'credit');
            const credit = sideOf(leg, 'debit');
            plan.move('post', debit, credit, amounts[i]);
            plan.addLeg(debit, credit, amounts[i], i);
          });
          const tx = this.childTransaction(parent, 'reversal', 'posted', referenceOwner, input.reference, hash, plan);
          return {
            plan,
            tx: {
              ...tx,
              type,
              sourceType: input.sourceType ?? parent.sourceType,
              sourceId: input.sourceId ?? parent.sourceId,
              description: input.description ?? null,
              metadata: input.metadata ?? null,
              requestId: input.requestId ?? null,
            },
          };
        },
      });
    });
  }

  /** Current balance; zero (accountId '') for an account never opened. */
  async balance(key: LedgerAccountKey, manager?: EntityManager): Promise<LedgerBalance> {
    this.checkKey(key, 'key');
    const account = await this.findAccount(manager, key);
    if (!account) return this.zeroBalance(key);
    const counters = (await this.repository.balances(manager, [account.id])).get(account.id) ?? ZERO;
    return toLedgerBalance(account, counters);
  }

  /** The balance at a past instant, from the resulting counters recorded on the entries (no replay). */
  async balanceAsOf(key: LedgerAccountKey, at: Date): Promise<LedgerBalance> {
    this.checkKey(key, 'key');
    const account = await this.findAccount(undefined, key);
    if (!account) return this.zeroBalance(key);
    return toLedgerBalance(account, await this.repository.balanceAsOf(account.id, account.shards, at));
  }

  /** Entries of an account, newest first, with the resulting balance of their shard; cursor = entry id. */
  async entries(
    accountId: string,
    options: { limit: number; startingAfter?: string },
  ): Promise<{ data: LedgerEntryView[]; hasMore: boolean }> {
    const [account] = await this.repository.findAccountsByIds(undefined, [accountId]);
    if (!account) throw ApiError.notFound('ledger_account', accountId);
    const after = options.startingAfter ? await this.entryCursor(options.startingAfter) : undefined;
    const rows = await this.repository.entries([{ accountId, shards: account.shards }], {
      limit: options.limit + 1,
      after,
    });
    return {
      data: rows.slice(0, options.limit).map((row) => toEntryView(row, account.normalBalance)),
      hasMore: rows.length > options.limit,
    };
  }

  /** Resolves an entry id (`<transaction id>:<ordinal>`) to a position in entry lists. */
  async entryCursor(entryId: string): Promise<EntryCursor> {
    const match = /^(.+):(\d{1,9})$/.exec(entryId);
    const found = match ? await this.repository.findEntry(match[1], Number(match[2])) : null;
    if (!found) throw ApiError.notFound('ledger_entry', entryId, 'starting_after');
    return { createdAt: found.createdAtExact, transactionId: found.entry.transactionId, ordinal: found.entry.ordinal };
  }

  /**
   * Several posts and holds, each its own ledger transaction, written in ONE round trip inside the caller's
   * transaction (a batch of payments, say). Accounts are resolved together, and every sharded account uses
   * `shard` (default: one shard for the whole batch), so that two concurrent batches on different shards never
   * lock the same shard rows in opposite orders. All or nothing: a refusal or a replay of any transaction throws
   * (LedgerError for a refusal) and the caller rolls its transaction back; callers decide beforehand what fits.
   */
  async transferMany(
    requests: Array<{ kind: 'transfer' | 'hold'; input: HoldInput }>,
    manager: EntityManager,
    shard?: number,
  ): Promise<LedgerTransactionView[]> {
    return (await this.prepareMany(requests, manager, shard)).apply();
  }

  /**
   * transferMany in two steps: the transactions are checked and planned now (their ids are known at once), and
   * `apply()` writes them in one statement. Between the two the caller may issue its own writes that need the
   * ids, concurrently with `apply()`: on the pipelined connection they then share one round trip. Nothing is
   * written until `apply()`, which fails exactly as transferMany does.
   */
  async prepareMany(
    requests: Array<{ kind: 'transfer' | 'hold'; input: HoldInput }>,
    manager: EntityManager,
    shard?: number,
  ): Promise<PreparedTransfers> {
    if (requests.length === 0) return { ids: [], apply: async () => [] };
    const checked = requests.map((request) => ({ ...request, ...this.checkTransfer(request.kind, request.input) }));
    const accounts = await this.resolveAccounts(
      manager,
      requests.flatMap((request) => request.input.legs.flatMap((leg) => [leg.debit, leg.credit])),
    );
    const batchShard = shard ?? this.shardCursor++;
    const planned = checked.map((request) =>
      this.planTransfer(
        request.kind,
        request.input,
        request.referenceOwner,
        request.hash,
        request.names,
        (id) => {
          const account = accounts.get(id)!;
          return account.shards === 1 ? 0 : batchShard % account.shards;
        },
        accounts,
      ),
    );
    const apply = async (): Promise<LedgerTransactionView[]> => {
      const outcomes = await this.repository.applyMany(
        manager,
        planned.map(({ tx, plan }) => ({ tx, plan: plan.toParams() })),
      );
      if (outcomes.some((outcome) => outcome.result === 'missing_balance')) {
        // Accounts cached from a transaction that rolled back: forget them all and let the caller start over.
        this.accounts.evict(new Set(planned.flatMap(({ plan }) => plan.toParams().accounts)));
        throw new RetryableTransactionError('Ledger accounts cached by this process do not exist; retrying.');
      }
      return outcomes.map((outcome, i) => {
        if (outcome.result === 'applied') return toView(planned[i].tx, outcome.createdAt, false);
        if (outcome.result === 'insufficient_funds') {
          throw new LedgerError(
            'insufficient_funds',
            `Ledger account ${outcome.shortAccounts.join(', ')} would go below its floor.`,
          );
        }
        throw new Error(`Ledger transaction ${planned[i].tx.reference} was not applied in a batch: ${outcome.result}.`);
      });
    };
    return { ids: planned.map(({ tx }) => tx.id), apply };
  }

  private checkTransfer(kind: 'transfer' | 'hold', input: HoldInput) {
    const referenceOwner = this.checkReference(input);
    if (typeof input.type !== 'string' || input.type.length === 0 || input.type.length > 100) {
      throw new LedgerError('invalid_legs', 'A ledger transaction needs a type of 1 to 100 characters.', 'type');
    }
    this.checkLegs(input);
    const names = input.legs.map((leg) => [accountKeyString(leg.debit), accountKeyString(leg.credit)]);
    const hash = contentHash([
      kind,
      input.type,
      input.sourceType ?? null,
      input.sourceId ?? null,
      names.map(([debit, credit], i) => [debit, credit, input.legs[i].amount.toString()]),
    ]);
    return { referenceOwner, names, hash };
  }

  private async transfer(
    kind: 'transfer' | 'hold',
    input: HoldInput,
    manager: EntityManager | undefined,
  ): Promise<LedgerTransactionView> {
    const { referenceOwner, names, hash } = this.checkTransfer(kind, input);
    const keys = input.legs.flatMap((leg) => [leg.debit, leg.credit]);
    return this.write(manager, {
      referenceOwner,
      reference: input.reference,
      hash,
      build: async () => {
        const accounts = await this.resolveAccounts(manager, keys);
        const shards = new Map<string, number>();
        const shardOf = (name: string): number => {
          const account = accounts.get(name)!;
          let shard = shards.get(account.id);
          if (shard === undefined) {
            shard = account.shards === 1 ? 0 : this.shardCursor++ % account.shards;
            shards.set(account.id, shard);
          }
          return shard;
        };
        return this.planTransfer(kind, input, referenceOwner, hash, names, shardOf, accounts);
      },
    });
  }

  /** The ledger_apply arguments of a post or hold; `shardOf` picks the balance row of each account (by key). */
  private planTransfer(
    kind: 'transfer' | 'hold',
    input: HoldInput,
    referenceOwner: string,
    hash: Buffer,
    names: string[][],
    shardOf: (name: string) => number,
    accounts: Map<string, LedgerAccountRecord>,
  ): { tx: ApplyTransaction; plan: WritePlan } {
    const side = (name: string, currency: string): LegSide => ({
      accountId: accounts.get(name)!.id,
      shard: shardOf(name),
      currency,
    });
    const plan = new WritePlan();
    for (const [i, leg] of input.legs.entries()) {
      const debit = side(names[i][0], leg.debit.currency);
      const credit = side(names[i][1], leg.credit.currency);
      plan.move(kind === 'hold' ? 'hold' : 'post', debit, credit, leg.amount);
      plan.addLeg(debit, credit, leg.amount);
    }
    const tx: ApplyTransaction = {
      id: newId('ltx'),
      referenceOwner,
      reference: input.reference,
      contentHash: hash,
      kind,
      type: input.type,
      status: kind === 'hold' ? 'pending' : 'posted',
      parentId: null,
      parentStatus: null,
      sourceType: input.sourceType ?? null,
      sourceId: input.sourceId ?? null,
      description: input.description ?? null,
      metadata: input.metadata && Object.keys(input.metadata).length > 0 ? input.metadata : null,
      requestId: input.requestId ?? null,
      legs: plan.legs,
      expiresAt: kind === 'hold' ? (input.expiresAt ?? null) : null,
    };
    return { tx, plan };
  }

  private async release(
    holdId: string,
    kind: 'void_pending' | 'expire_pending',
    input: VoidPendingInput,
    manager?: EntityManager,
  ): Promise<LedgerTransactionView> {
    const referenceOwner = this.checkReference(input);
    const hash = contentHash([kind, holdId]);
    const hold = await this.repository.findTransaction(manager, holdId);
    if (!hold) throw ApiError.notFound('ledger_transaction', holdId);
    if (hold.kind !== 'hold' || hold.status !== 'pending') {
      return this.replayOr(manager, referenceOwner, input.reference, hash, this.notPending(hold));
    }
    const status: LedgerTransactionStatus = kind === 'void_pending' ? 'voided' : 'expired';
    return this.write(manager, {
      referenceOwner,
      reference: input.reference,
      hash,
      notPending: () => this.notPending(hold),
      build: async () => {
        const plan = new WritePlan();
        hold.legs.forEach((leg, i) => {
          const debit = sideOf(leg, 'debit');
          const credit = sideOf(leg, 'credit');
          plan.move('release', debit, credit, BigInt(leg.a));
          plan.addLeg(debit, credit, BigInt(leg.a), i);
        });
        return { plan, tx: this.childTransaction(hold, kind, status, referenceOwner, input.reference, hash, plan) };
      },
    });
  }

  private childTransaction(
    parent: LedgerTransactionRecord,
    kind: TransactionKind,
    status: LedgerTransactionStatus,
    referenceOwner: string,
    reference: string,
    hash: Buffer,
    plan: WritePlan,
  ): ApplyTransaction {
    return {
      id: newId('ltx'),
      referenceOwner,
      reference,
      contentHash: hash,
      kind,
      type: parent.type,
      status,
      parentId: parent.id,
      parentStatus: kind === 'reversal' ? null : status,
      sourceType: parent.sourceType,
      sourceId: parent.sourceId,
      description: null,
      metadata: null,
      requestId: null,
      legs: plan.legs,
      expiresAt: null,
    };
  }

  /** Runs ledger_apply and turns its outcome into a view, a replay or a LedgerError. */
  private async write(manager: EntityManager | undefined, request: WriteRequest): Promise<LedgerTransactionView> {
    for (let attempt = 1; ; attempt++) {
      const { tx, plan } = await request.build();
      let outcome;
      try {
        outcome = await this.repository.apply(manager, tx, plan.toParams());
      } catch (error) {
        const code = errorCode(error);
        // On its own (no caller transaction) the statement is its own transaction and can simply run again.
        if (!manager && code && RETRYABLE.has(code) && attempt < 5) {
          await new Promise((resolve) => setTimeout(resolve, attempt * 5 + randomInt(0, 10)));
          continue;
        }
        if (code === '23514') {
          throw new LedgerError('insufficient_funds', 'A bounded ledger account would go below its floor.');
        }
        if (code === '22003') throw new LedgerError('invalid_amount', 'The amounts overflow a ledger balance.');
        throw error;
      }
      switch (outcome.result) {
        case 'applied':
          return toView(tx, outcome.createdAt, false);
        case 'exists': {
          const replay = await this.findReplay(manager, request.referenceOwner, request.reference, request.hash);
          if (replay) return replay;
          // The reference's holder rolled back after ledger_apply saw it: try again.
          if (attempt >= 5) throw new Error(`Ledger reference "${request.reference}" stays taken but unreadable.`);
          continue;
        }
        case 'missing_balance':
          if (attempt >= 3) throw new Error(`Ledger accounts of transaction ${tx.id} have no balance rows.`);
          this.logger.warn(`Evicting cached ledger accounts that do not exist (transaction ${tx.id}).`);
          this.accounts.evict(new Set(plan.toParams().accounts));
          continue;
        case 'insufficient_funds':
          return this.replayOr(
            manager,
            request.referenceOwner,
            request.reference,
            request.hash,
            new LedgerError(
              'insufficient_funds',
              `Ledger account ${outcome.shortAccounts.join(', ')} would go below its floor.`,
            ),
          );
        case 'parent_not_pending':
          return this.replayOr(manager, request.referenceOwner, request.reference, request.hash, request.notPending!());
      }
    }
  }

  /** The first result for this reference, or a conflict when its content differs; null when it is unused. */
  private async findReplay(
    manager: EntityManager | undefined,
    referenceOwner: string,
    reference: string,
    hash: Buffer,
  ): Promise<LedgerTransactionView | null> {
    const existing = await this.repository.findByReference(manager, referenceOwner, reference);
    if (!existing) return null;
    if (!existing.contentHash.equals(hash)) {
      throw new LedgerError(
        'idempotency_conflict',
        `The ledger reference "${reference}" was already used for another transaction (${existing.id}).`,
        'reference',
      );
    }
    // The first result: a hold replays as the pending hold it was created as, whatever happened to it since.
    const first = existing.kind === 'hold' ? { ...existing, status: 'pending' as const } : existing;
    return toView(first, existing.createdAt, true);
  }

  private async replayOr(
    manager: EntityManager | undefined,
    referenceOwner: string,
    reference: string,
    hash: Buffer,
    error: LedgerError,
  ): Promise<LedgerTransactionView> {
    const replay = await this.findReplay(manager, referenceOwner, reference, hash);
    if (replay) return replay;
    throw error;
  }

  private notPending(hold: LedgerTransactionRecord): LedgerError {
    return new LedgerError(
      'transaction_not_pending',
      hold.kind === 'hold'
        ? `Hold ${hold.id} is no longer pending.`
        : `Ledger transaction ${hold.id} is not a hold (${hold.kind}).`,
    );
  }

  /** Key → account for every key, creating missing accounts with their defaults. */
  private async resolveAccounts(
    manager: EntityManager | undefined,
    keys: LedgerAccountKey[],
    overrides: OpenAccountOptions = {},
  ): Promise<Map<string, LedgerAccountRecord>> {
    const resolved = new Map<string, LedgerAccountRecord>();
    const missing = new Map<string, LedgerAccountKey>();
    for (const key of keys) {
      const name = accountKeyString(key);
      if (resolved.has(name) || missing.has(name)) continue;
      const cached = this.accounts.get(name);
      if (cached) resolved.set(name, cached);
      else missing.set(name, key);
    }
    if (missing.size === 0) return resolved;
    const remember = (accounts: LedgerAccountRecord[]) => {
      for (const account of accounts) {
        const name = accountKeyString(account.key);
        resolved.set(name, account);
        missing.delete(name);
        this.accounts.set(account);
      }
    };
    remember(await this.repository.findAccounts(manager, [...missing.values()]));
    if (missing.size > 0) {
      await this.repository.insertAccounts(
        manager,
        [...missing.values()].map((key) => ({ id: newId('lacc'), key, ...accountPolicy(key, overrides) })),
      );
      remember(await this.repository.findAccounts(manager, [...missing.values()]));
    }
    if (missing.size > 0) throw new Error(`Ledger accounts could not be opened: ${[...missing.keys()].join(', ')}.`);
    return resolved;
  }

  private async findAccount(
    manager: EntityManager | undefined,
    key: LedgerAccountKey,
  ): Promise<LedgerAccountRecord | null> {
    const cached = this.accounts.get(accountKeyString(key));
    if (cached) return cached;
    const [found] = await this.repository.findAccounts(manager, [key]);
    if (found) this.accounts.set(found);
    return found ?? null;
  }

  private zeroBalance(key: LedgerAccountKey): LedgerBalance {
    return toLedgerBalance(
      { id: '', key, normalBalance: accountPolicy(key).normalBalance, floor: null, shards: 1, createdAt: new Date(0) },
      ZERO,
    );
  }

  private checkReference(input: { reference: string; referenceOwner?: string }): string {
    if (typeof input.reference !== 'string' || input.reference.length === 0 || input.reference.length > 500) {
      throw new LedgerError('invalid_legs', 'A ledger reference is a string of 1 to 500 characters.', 'reference');
    }
    return input.referenceOwner ?? PLATFORM_OWNER;
  }

  private checkKey(key: LedgerAccountKey, param: string): void {
    if (typeof key?.owner !== 'string' || key.owner.length === 0 || key.owner.length > 100) {
      throw new LedgerError('invalid_legs', 'A ledger account owner is a string of 1 to 100 characters.', param);
    }
    if (!isLedgerPurpose(key.purpose)) {
      throw new LedgerError('invalid_legs', `Unknown ledger account purpose "${key.purpose}".`, param);
    }
    if (!isCurrency(key.currency)) {
      throw new LedgerError('invalid_legs', `Unknown currency "${key.currency}".`, param);
    }
  }

  private checkLegs(input: PostTransactionInput): void {
    if (!Array.isArray(input.legs) || input.legs.length === 0) {
      throw new LedgerError('invalid_legs', 'A ledger transaction needs at least one leg.', 'legs');
    }
    input.legs.forEach((leg, i) => {
      this.checkKey(leg.debit, `legs[${i}].debit`);
      this.checkKey(leg.credit, `legs[${i}].credit`);
      if (typeof leg.amount !== 'bigint' || leg.amount <= 0n || leg.amount > MAX_AMOUNT) {
        throw new LedgerError(
          'invalid_amount',
          'A leg amount is bigint nanos > 0 with at most 38 digits.',
          `legs[${i}].amount`,
        );
      }
      if (leg.debit.currency !== leg.credit.currency) {
        throw new LedgerError(
          'currency_mismatch',
          `Leg ${i} debits ${leg.debit.currency} and credits ${leg.credit.currency}.`,
          `legs[${i}]`,
        );
      }
      if (
        leg.debit.owner === leg.credit.owner &&
        leg.debit.purpose === leg.credit.purpose &&
        leg.debit.currency === leg.credit.currency
      ) {
        throw new LedgerError('invalid_legs', `Leg ${i} debits and credits the same account.`, `legs[${i}]`);
      }
    });
  }

  /** Current balances of several accounts in one read, in the order of `keys` (zero for accounts never opened). */
  async balances(keys: LedgerAccountKey[], manager?: EntityManager): Promise<LedgerBalance[]> {
    keys.forEach((key, i) => this.checkKey(key, `keys[${i}]`));
    const accounts = new Map<string, LedgerAccountRecord>();
    const missing: LedgerAccountKey[] = [];
    for (const key of keys) {
      const name = accountKeyString(key);
      const cached = this.accounts.get(name);
      if (cached) accounts.set(name, cached);
      else missing.push(key);
    }
    for (const account of await this.repository.findAccounts(manager, missing)) {
      this.accounts.set(account);
      accounts.set(accountKeyString(account.key), account);
    }
    const found = [...accounts.values()];
    const counters = await this.repository.balances(
      manager,
      found.map((account) => account.id),
    );
    return keys.map((key) => {
      const account = accounts.get(accountKeyString(key));
      return account ? toLedgerBalance(account, counters.get(account.id) ?? ZERO) : this.zeroBalance(key);
    });
  }
}
