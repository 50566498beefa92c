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

/** Counters of a balance row, by position: debits pending, debits posted, credits pending, credits posted. */
type Counters = [bigint, bigint, bigint, bigint];

interface BalanceRow {
  position: number;
  accountId: string;
  shard: number;
  currency: string;
  delta: Counters;
  /** This row's entries, by direction and effect (see slot()). */
  entries: Array<PlannedEntry | undefined>;
}

interface PlannedEntry {
  row: BalanceRow;
  direction: EntryDirection;
  effect: EntryEffect;
  amount: bigint;
}

/** The counter an entry changes (positions as in Counters): hold and release move pending, post moves posted. */
function counterOf(direction: EntryDirection, effect: EntryEffect): 0 | 1 | 2 | 3 {
  return ((direction === 'debit' ? 0 : 2) + (effect === 'post' ? 1 : 0)) as 0 | 1 | 2 | 3;
}

/** An entry's slot among its row's entries: one per direction and effect. */
function slotOf(direction: EntryDirection, effect: EntryEffect): number {
  return (direction === 'debit' ? 0 : 3) + (effect === 'hold' ? 0 : effect === 'release' ? 1 : 2);
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
  private readonly rows = new Map<string, BalanceRow>();
  private readonly entries: PlannedEntry[] = [];

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
    return this.entries.length;
  }

  toParams(): WritePlanParams {
    const rows = [...this.rows.values()];
    const running: Counters[] = rows.map(() => [0n, 0n, 0n, 0n]);
    const after: [string[], string[], string[], string[]] = [[], [], [], []];
    for (const entry of this.entries) {
      const counters = running[entry.row.position];
      const counter = counterOf(entry.direction, entry.effect);
      counters[counter] += entry.effect === 'release' ? -entry.amount : entry.amount;
      for (let i = 0; i < 4; i++) after[i].push(counters[i].toString());
    }
    return {
      accounts: rows.map((r) => r.accountId),
      shards: rows.map((r) => r.shard),
      currencies: rows.map((r) => r.currency),
      debitsPending: rows.map((r) => r.delta[0].toString()),
      debitsPosted: rows.map((r) => r.delta[1].toString()),
      creditsPending: rows.map((r) => r.delta[2].toString()),
      creditsPosted: rows.map((r) => r.delta[3].toString()),
      entryBalances: this.entries.map((e) => e.row.position + 1),
      entryDirections: this.entries.map((e) => e.direction),
      entryEffects: this.entries.map((e) => e.effect),
      entryAmounts: this.entries.map((e) => e.amount.toString()),
      entryDebitsPendingAfter: after[0],
      entryDebitsPostedAfter: after[1],
      entryCreditsPendingAfter: after[2],
      entryCreditsPostedAfter: after[3],
    };
  }

  private touch(side: LegSide, direction: EntryDirection, effect: EntryEffect, amount: bigint): void {
    const key = side.shard === 0 ? side.accountId : `${side.accountId}:${side.shard}`;
    let row = this.rows.get(key);
    if (!row) {
      row = {
        position: this.rows.size,
        accountId: side.accountId,
        shard: side.shard,
        currency: side.currency,
        delta: [0n, 0n, 0n, 0n],
        entries: [],
      };
      this.rows.set(key, row);
    }
    row.delta[counterOf(direction, effect)] += effect === 'release' ? -amount : amount;
    const slot = slotOf(direction, effect);
    const entry = row.entries[slot];
    if (entry) {
      entry.amount += amount;
    } else {
      const planned: PlannedEntry = { row, direction, effect, amount };
      row.entries[slot] = planned;
      this.entries.push(planned);
    }
  }
}

type HashedContent = string | number | null | HashedContent[];

/**
 * SHA-256 of the canonical content of a request: what idempotency compares, never the reference itself. Amounts
 * come as decimal strings (callers convert), which keeps the serialisation a plain JSON.stringify.
 */
export function contentHash(content: HashedContent): Buffer {
  return createHash('sha256').update(JSON.stringify(content)).digest();
}
