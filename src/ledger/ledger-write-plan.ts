import { createHash } from 'node:crypto';

export type EntryEffect = 'hold' | 'release' | 'post';
export type EntryDirection = 'debit' | 'credit';

/** One side of a leg: an account shard. */
export interface LegSide {
  accountId: string;
  shard: number;
  currency: string;
}

/**
 * A leg as stored on its transaction (compact keys: a batch may carry thousands). `o` is the leg of the parent
 * transaction it acts on, for postings of holds and reversals.
 */
export interface StoredLeg {
  d: string;
  ds: number;
  c: string;
  cs: number;
  cur: string;
  a: string;
  o?: number;
}

interface BalanceDelta {
  accountId: string;
  shard: number;
  currency: string;
  debitsPending: bigint;
  debitsPosted: bigint;
  creditsPending: bigint;
  creditsPosted: bigint;
}

interface PlannedEntry {
  accountId: string;
  shard: number;
  currency: string;
  direction: EntryDirection;
  effect: EntryEffect;
  amount: bigint;
}

/**
 * Arrays for ledger_apply: one element per balance row, one per entry. An entry names its balance row by
 * 1-based position; `entry*After` are that row's counter changes up to and including the entry.
 */
export interface WritePlanParams {
  accounts: string[];
  shards: number[];
  currencies: string[];
  debitsPending: string[];
  debitsPosted: string[];
  creditsPending: string[];
  creditsPosted: string[];
  entryBalances: number[];
  entryDirections: EntryDirection[];
  entryEffects: EntryEffect[];
  entryAmounts: string[];
  entryDebitsPendingAfter: string[];
  entryDebitsPostedAfter: string[];
  entryCreditsPendingAfter: string[];
  entryCreditsPostedAfter: string[];
}

/**
 * The rows one ledger transaction writes. Every movement adds the same amount to a debit and a credit entry of
 * the same currency and effect, so the plan balances by construction; the database checks it again. Entries
 * are aggregated per account shard, direction and effect, which keeps a many-leg batch to a few rows.
 */
export class WritePlan {
  readonly legs: StoredLeg[] = [];
  private readonly balances = new Map<string, BalanceDelta>();
  private readonly entries = new Map<string, PlannedEntry>();

  move(effect: EntryEffect, debit: LegSide, credit: LegSide, amount: bigint): void {
    this.touch(debit, 'debit', effect, amount);
    this.touch(credit, 'credit', effect, amount);
  }

  addLeg(debit: LegSide, credit: LegSide, amount: bigint, parentLeg?: number): void {
    const leg: StoredLeg = {
      d: debit.accountId,
      ds: debit.shard,
      c: credit.accountId,
      cs: credit.shard,
      cur: debit.currency,
      a: amount.toString(),
    };
    if (parentLeg !== undefined) leg.o = parentLeg;
    this.legs.push(leg);
  }

  get entryCount(): number {
    return this.entries.size;
  }

  toParams(): WritePlanParams {
    const balances = [...this.balances.values()];
    const position = new Map(balances.map((b, i) => [`${b.accountId}:${b.shard}`, i]));
    const running = balances.map(() => ({ dp: 0n, dpo: 0n, cp: 0n, cpo: 0n }));
    const params: WritePlanParams = {
      accounts: balances.map((b) => b.accountId),
      shards: balances.map((b) => b.shard),
      currencies: balances.map((b) => b.currency),
      debitsPending: balances.map((b) => b.debitsPending.toString()),
      debitsPosted: balances.map((b) => b.debitsPosted.toString()),
      creditsPending: balances.map((b) => b.creditsPending.toString()),
      creditsPosted: balances.map((b) => b.creditsPosted.toString()),
      entryBalances: [],
      entryDirections: [],
      entryEffects: [],
      entryAmounts: [],
      entryDebitsPendingAfter: [],
      entryDebitsPostedAfter: [],
      entryCreditsPendingAfter: [],
      entryCreditsPostedAfter: [],
    };
    for (const entry of this.entries.values()) {
      const index = position.get(`${entry.accountId}:${entry.shard}`)!;
      const counters = running[index];
      const pending = entry.effect === 'hold' ? entry.amount : entry.effect === 'release' ? -entry.amount : 0n;
      const posted = entry.effect === 'post' ? entry.amount : 0n;
      if (entry.direction === 'debit') {
        counters.dp += pending;
        counters.dpo += posted;
      } else {
        counters.cp += pending;
        counters.cpo += posted;
      }
      params.entryBalances.push(index + 1);
      params.entryDirections.push(entry.direction);
      params.entryEffects.push(entry.effect);
      params.entryAmounts.push(entry.amount.toString());
      params.entryDebitsPendingAfter.push(counters.dp.toString());
      params.entryDebitsPostedAfter.push(counters.dpo.toString());
      params.entryCreditsPendingAfter.push(counters.cp.toString());
      params.entryCreditsPostedAfter.push(counters.cpo.toString());
    }
    return params;
  }

  private touch(side: LegSide, direction: EntryDirection, effect: EntryEffect, amount: bigint): void {
    const shardKey = `${side.accountId}:${side.shard}`;
    let balance = this.balances.get(shardKey);
    if (!balance) {
      balance = {
        accountId: side.accountId,
        shard: side.shard,
        currency: side.currency,
        debitsPending: 0n,
        debitsPosted: 0n,
        creditsPending: 0n,
        creditsPosted: 0n,
      };
      this.balances.set(shardKey, balance);
    }
    const pendingChange = effect === 'hold' ? amount : effect === 'release' ? -amount : 0n;
    const postedChange = effect === 'post' ? amount : 0n;
    if (direction === 'debit') {
      balance.debitsPending += pendingChange;
      balance.debitsPosted += postedChange;
    } else {
      balance.creditsPending += pendingChange;
      balance.creditsPosted += postedChange;
    }
    const entryKey = `${shardKey}:${direction}:${effect}`;
    const entry = this.entries.get(entryKey);
    if (entry) entry.amount += amount;
    else this.entries.set(entryKey, { ...side, direction, effect, amount });
  }
}

/** SHA-256 of the canonical content of a request: what idempotency compares, never the reference itself. */
export function contentHash(content: unknown): Buffer {
  const json = JSON.stringify(content, (_key, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value === undefined ? null : value,
  );
  return createHash('sha256').update(json).digest();
}
