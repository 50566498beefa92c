import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { LedgerError } from '../src/ledger/ledger.error.js';
import { LedgerService } from '../src/ledger/ledger.service.js';
import type { LedgerAccountKey, LedgerErrorCode, LedgerTransactionView } from '../src/ledger/ledger.types.js';
import { startTestApp, TestApp } from './support/test-app.js';

/**
 * Model-based test: random sequences of post / hold / partial post / void / expire / reverse / replay / conflicting
 * replay over a small pool of accounts in two currencies, checked against an in-memory model after every step.
 * CI runs a fixed seed; LEDGER_MODEL_RUNS (and LEDGER_MODEL_SEED, LEDGER_MODEL_COMMANDS) run longer or other
 * sequences. A failure reports the seed, the shrunk path and the operations.
 */
const RUNS = Number(process.env.LEDGER_MODEL_RUNS ?? 12);
const SEED = Number(process.env.LEDGER_MODEL_SEED ?? 20_261_203);
const MAX_COMMANDS = Number(process.env.LEDGER_MODEL_COMMANDS ?? 30);

const CURRENCIES = ['usd', 'eur'] as const;
type Currency = (typeof CURRENCIES)[number];
/** w1, w2: payer wallets; av: a receiver's available (bounded); rp: a receiver's pending, fee: a sharded
 *  unbounded system account, clr: provider clearing (debit-normal, unbounded). */
const NAMES = ['w1', 'w2', 'av', 'rp', 'fee', 'clr'] as const;
type Name = (typeof NAMES)[number];
const BOUNDED: ReadonlySet<Name> = new Set(['w1', 'w2', 'av']);
const PAIRS: Array<[Name, Name]> = NAMES.flatMap((d) => NAMES.filter((c) => c !== d).map((c): [Name, Name] => [d, c]));

interface Counters {
  dp: bigint;
  dpo: bigint;
  cp: bigint;
  cpo: bigint;
}
interface ModelLeg {
  debit: Name;
  credit: Name;
  amount: bigint;
}
interface ModelTransaction {
  id: string;
  currency: Currency;
  legs: ModelLeg[];
}
interface Hold extends ModelTransaction {
  status: 'pending' | 'posted' | 'voided' | 'expired';
}
interface Reversible extends ModelTransaction {
  remaining: bigint[];
}
interface Done {
  label: string;
  reference: string;
  repeat: () => Promise<LedgerTransactionView>;
  first: LedgerTransactionView;
}

class Model {
  readonly balances = new Map<string, Counters>();
  readonly holds: Hold[] = [];
  readonly reversible: Reversible[] = [];
  readonly done: Done[] = [];

  counters(currency: Currency, name: Name): Counters {
    const id = `${currency}:${name}`;
    let counters = this.balances.get(id);
    if (!counters) {
      counters = { dp: 0n, dpo: 0n, cp: 0n, cpo: 0n };
      this.balances.set(id, counters);
    }
    return counters;
  }

  /** Applies the legs with one effect to a copy; returns it, or null if a bounded account would go below 0. */
  tryApply(currency: Currency, legs: ModelLeg[], effect: 'hold' | 'release' | 'post'): Map<string, Counters> | null {
    const next = new Map<string, Counters>();
    const get = (name: Name) => {
      const id = `${currency}:${name}`;
      if (!next.has(id)) next.set(id, { ...this.counters(currency, name) });
      return next.get(id)!;
    };
    for (const leg of legs) {
      const debit = get(leg.debit);
      const credit = get(leg.credit);
      if (effect === 'post') {
        debit.dpo += leg.amount;
        credit.cpo += leg.amount;
      } else {
        const sign = effect === 'hold' ? 1n : -1n;
        debit.dp += sign * leg.amount;
        credit.cp += sign * leg.amount;
      }
    }
    for (const [id, c] of next) {
      if (BOUNDED.has(id.split(':')[1] as Name) && c.cpo - c.dpo - c.dp < 0n) return null;
    }
    return next;
  }

  commit(next: Map<string, Counters>): void {
    for (const [id, c] of next) this.balances.set(id, c);
  }
}

interface Real {
  ledger: LedgerService;
  db: DataSource;
  run: string;
  keys: Map<string, LedgerAccountKey>;
  ids: string[];
  sequence: number;
}

function key(real: Real, currency: Currency, name: Name): LedgerAccountKey {
  return real.keys.get(`${currency}:${name}`)!;
}

function nextReference(real: Real, label: string): string {
  return `model:${real.run}:${real.sequence++}:${label}`;
}

/** Everything a rejected operation or a replay must leave untouched. */
async function snapshot(real: Real): Promise<string> {
  const [row] = await real.db.query(
    `SELECT (SELECT string_agg(concat_ws(',', account_id, shard, debits_pending, debits_posted, credits_pending,
               credits_posted, version), ';' ORDER BY account_id, shard)
             FROM ledger_balances WHERE account_id = ANY($1::text[])) AS balances,
            (SELECT count(*) FROM ledger_entries WHERE account_id = ANY($1::text[])) AS entries,
            (SELECT count(*) FROM ledger_transactions WHERE reference LIKE $2) AS transactions,
            (SELECT string_agg(id || status, ',' ORDER BY id) FROM ledger_transactions WHERE reference LIKE $2) AS statuses`,
    [real.ids, `model:${real.run}:%`],
  );
  return JSON.stringify(row);
}

/** The invariants, read from the database independently of LedgerService, and the model's balances. */
async function verify(model: Model, real: Real): Promise<void> {
  const unbalanced = await real.db.query(
    `SELECT a.currency FROM ledger_balances b JOIN ledger_accounts a ON a.id = b.account_id GROUP BY a.currency
     HAVING sum(b.debits_posted) <> sum(b.credits_posted) OR sum(b.debits_pending) <> sum(b.credits_pending)`,
  );
  expect(unbalanced).toEqual([]);
  const rows: Array<Record<string, string>> = await real.db.query(
    `SELECT a.owner, a.purpose, a.currency, b.shard, b.debits_pending::text AS dp, b.debits_posted::text AS dpo,
            b.credits_pending::text AS cp, b.credits_posted::text AS cpo,
            coalesce(e.dp, 0)::text AS e_dp, coalesce(e.dpo, 0)::text AS e_dpo,
            coalesce(e.cp, 0)::text AS e_cp, coalesce(e.cpo, 0)::text AS e_cpo,
            coalesce(last.resulting_debits_pending, 0)::text AS l_dp, coalesce(last.resulting_debits_posted, 0)::text AS l_dpo,
            coalesce(last.resulting_credits_pending, 0)::text AS l_cp, coalesce(last.resulting_credits_posted, 0)::text AS l_cpo
     FROM ledger_balances b JOIN ledger_accounts a ON a.id = b.account_id
     LEFT JOIN LATERAL (
       SELECT sum(CASE WHEN direction = 'debit' AND effect = 'hold' THEN amount
                       WHEN direction = 'debit' AND effect = 'release' THEN -amount ELSE 0 END) AS dp,
              sum(CASE WHEN direction = 'debit' AND effect = 'post' THEN amount ELSE 0 END) AS dpo,
              sum(CASE WHEN direction = 'credit' AND effect = 'hold' THEN amount
                       WHEN direction = 'credit' AND effect = 'release' THEN -amount ELSE 0 END) AS cp,
              sum(CASE WHEN direction = 'credit' AND effect = 'post' THEN amount ELSE 0 END) AS cpo
       FROM ledger_entries x WHERE x.account_id = b.account_id AND x.shard = b.shard
     ) e ON true
     LEFT JOIN LATERAL (
       SELECT * FROM ledger_entries x WHERE x.account_id = b.account_id AND x.shard = b.shard
       ORDER BY x.created_at DESC, x.ordinal DESC LIMIT 1
     ) last ON true
     WHERE b.account_id = ANY($1::text[])`,
    [real.ids],
  );
  const totals = new Map<string, Counters>();
  for (const row of rows) {
    expect([row.e_dp, row.e_dpo, row.e_cp, row.e_cpo]).toEqual([row.dp, row.dpo, row.cp, row.cpo]);
    expect([row.l_dp, row.l_dpo, row.l_cp, row.l_cpo]).toEqual([row.dp, row.dpo, row.cp, row.cpo]);
    const name = [...real.keys].find(
      ([, k]) => k.owner === row.owner && k.purpose === row.purpose && k.currency === row.currency,
    )![0];
    const total = totals.get(name) ?? { dp: 0n, dpo: 0n, cp: 0n, cpo: 0n };
    total.dp += BigInt(row.dp);
    total.dpo += BigInt(row.dpo);
    total.cp += BigInt(row.cp);
    total.cpo += BigInt(row.cpo);
    totals.set(name, total);
  }
  for (const currency of CURRENCIES) {
    for (const name of NAMES) {
      const actual = totals.get(`${currency}:${name}`) ?? { dp: 0n, dpo: 0n, cp: 0n, cpo: 0n };
      expect({ account: `${currency}:${name}`, ...actual }).toEqual({
        account: `${currency}:${name}`,
        ...model.counters(currency, name),
      });
      if (BOUNDED.has(name)) expect(actual.cpo - actual.dpo - actual.dp).toBeGreaterThanOrEqual(0n);
    }
  }
}

/** Runs an operation the model predicts the ledger refuses: it must fail with `code` and change nothing. */
async function expectRefusal(real: Real, code: LedgerErrorCode, operation: () => Promise<unknown>): Promise<void> {
  const before = await snapshot(real);
  const outcome = await operation().then(
    () => 'succeeded',
    (error: unknown) => (error instanceof LedgerError ? error.code : String(error)),
  );
  expect(outcome).toBe(code);
  expect(await snapshot(real)).toBe(before);
}

function describeLegs(legs: ModelLeg[]): string {
  return legs.map((l) => `${l.debit}→${l.credit} ${l.amount}`).join(', ');
}

type Command = fc.AsyncCommand<Model, Real>;

class MoveCommand implements Command {
  constructor(
    readonly kind: 'post' | 'hold',
    readonly currency: Currency,
    readonly legs: ModelLeg[],
  ) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const reference = nextReference(real, this.kind);
    const input = {
      reference,
      type: this.kind === 'post' ? 'transfer' : 'authorization',
      legs: this.legs.map((l) => ({
        debit: key(real, this.currency, l.debit),
        credit: key(real, this.currency, l.credit),
        amount: l.amount,
      })),
    };
    const call = () => (this.kind === 'post' ? real.ledger.post(input) : real.ledger.hold(input));
    const next = model.tryApply(this.currency, this.legs, this.kind === 'post' ? 'post' : 'hold');
    if (!next) {
      await expectRefusal(real, 'insufficient_funds', call);
    } else {
      const view = await call();
      expect(view).toMatchObject({ replayed: false, status: this.kind === 'post' ? 'posted' : 'pending' });
      model.commit(next);
      const tx = { id: view.id, currency: this.currency, legs: this.legs };
      if (this.kind === 'post') model.reversible.push({ ...tx, remaining: this.legs.map((l) => l.amount) });
      else model.holds.push({ ...tx, status: 'pending' });
      model.done.push({ label: this.toString(), reference, repeat: call, first: view });
    }
    await verify(model, real);
  }
  toString(): string {
    return `${this.kind}(${this.currency}: ${describeLegs(this.legs)})`;
  }
}

class ResolveHoldCommand implements Command {
  constructor(
    readonly action: 'post' | 'void' | 'expire',
    readonly pick: number,
    /** Per leg, per mille of the held amount to post; null = post everything held. */
    readonly perMille: number[] | null,
  ) {}
  check = (model: Readonly<Model>) => model.holds.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const hold = model.holds[this.pick % model.holds.length];
    // An expiry's reference is derived from the hold (the job may run twice).
    const reference = this.action === 'expire' ? `expire:${hold.id}` : nextReference(real, this.action);
    const amounts =
      this.action === 'post' && this.perMille
        ? hold.legs.map((l, i) => (l.amount * BigInt(this.perMille![i % this.perMille!.length])) / 1000n)
        : undefined;
    const call = () =>
      this.action === 'post'
        ? real.ledger.postPending(hold.id, { reference, amounts })
        : this.action === 'void'
          ? real.ledger.voidPending(hold.id, { reference })
          : real.ledger.expireHold(hold.id);
    if (this.action === 'expire' && hold.status === 'expired') {
      const before = await snapshot(real);
      expect((await call()).replayed).toBe(true);
      expect(await snapshot(real)).toBe(before);
    } else if (hold.status !== 'pending') {
      await expectRefusal(real, 'transaction_not_pending', call);
    } else if (amounts && amounts.every((a) => a === 0n)) {
      await expectRefusal(real, 'invalid_amount', call);
    } else {
      const released = model.tryApply(hold.currency, hold.legs, 'release')!;
      model.commit(released);
      const posted = hold.legs
        .map((l, i) => ({ ...l, amount: amounts ? amounts[i] : l.amount }))
        .filter((l) => l.amount > 0n);
      if (this.action === 'post') model.commit(model.tryApply(hold.currency, posted, 'post')!);
      const view = await call();
      const status = this.action === 'post' ? 'posted' : this.action === 'void' ? 'voided' : 'expired';
      expect(view).toMatchObject({ parentId: hold.id, status, replayed: false });
      hold.status = status;
      if (this.action === 'post') {
        expect(view.legs.map((l) => l.amount)).toEqual(posted.map((l) => l.amount));
        model.reversible.push({
          id: view.id,
          currency: hold.currency,
          legs: posted,
          remaining: posted.map((l) => l.amount),
        });
      }
      model.done.push({ label: this.toString(), reference, repeat: call, first: view });
    }
    await verify(model, real);
  }
  toString(): string {
    return `${this.action}Hold(#${this.pick}${this.perMille ? `, ‰ ${this.perMille.join('/')}` : ''})`;
  }
}

class ReverseCommand implements Command {
  constructor(
    readonly pick: number,
    readonly perMille: number[] | null,
  ) {}
  check = (model: Readonly<Model>) => model.reversible.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const original = model.reversible[this.pick % model.reversible.length];
    const reference = nextReference(real, 'reverse');
    const amounts = this.perMille
      ? original.remaining.map((r, i) => (r * BigInt(this.perMille![i % this.perMille!.length])) / 1000n)
      : undefined;
    const call = () => real.ledger.reverse(original.id, { reference, amounts, type: 'refund' });
    const effective = amounts ?? original.remaining;
    const swapped = original.legs
      .map((l, i) => ({ debit: l.credit, credit: l.debit, amount: effective[i] }))
      .filter((l) => l.amount > 0n);
    if (swapped.length === 0) {
      await expectRefusal(real, amounts ? 'invalid_amount' : 'transaction_not_reversible', call);
    } else {
      const next = model.tryApply(original.currency, swapped, 'post');
      if (!next) {
        await expectRefusal(real, 'insufficient_funds', call);
      } else {
        const view = await call();
        expect(view).toMatchObject({ parentId: original.id, status: 'posted', type: 'refund', replayed: false });
        model.commit(next);
        original.remaining = original.remaining.map((r, i) => r - effective[i]);
        model.reversible.push({
          id: view.id,
          currency: original.currency,
          legs: swapped,
          remaining: swapped.map((l) => l.amount),
        });
        model.done.push({ label: this.toString(), reference, repeat: call, first: view });
      }
    }
    await verify(model, real);
  }
  toString(): string {
    return `reverse(#${this.pick}${this.perMille ? `, ‰ ${this.perMille.join('/')}` : ''})`;
  }
}

class ReplayCommand implements Command {
  constructor(
    readonly pick: number,
    readonly otherContent: boolean,
  ) {}
  check = (model: Readonly<Model>) => model.done.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const done = model.done[this.pick % model.done.length];
    if (this.otherContent) {
      await expectRefusal(real, 'idempotency_conflict', () =>
        real.ledger.post({
          reference: done.reference,
          referenceOwner: done.first.referenceOwner,
          type: 'something_else',
          legs: [{ debit: key(real, 'usd', 'clr'), credit: key(real, 'usd', 'rp'), amount: 1n }],
        }),
      );
    } else {
      const before = await snapshot(real);
      expect(await done.repeat()).toEqual({ ...done.first, replayed: true });
      expect(await snapshot(real)).toBe(before);
    }
    await verify(model, real);
  }
  toString(): string {
    return `${this.otherContent ? 'conflictingReplay' : 'replay'}(#${this.pick})`;
  }
}

const amountArb = fc.oneof(
  fc.bigInt({ min: 1n, max: 1000n }),
  fc.bigInt({ min: 1n, max: 10n ** 12n }),
  fc.bigInt({ min: 1n, max: 2n ** 64n + 1000n }),
  fc.constantFrom(1n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 63n + 1n, 2n ** 64n),
);
const legsArb = fc.array(
  fc.tuple(fc.constantFrom(...PAIRS), amountArb).map(([[debit, credit], amount]) => ({ debit, credit, amount })),
  { minLength: 1, maxLength: 3 },
);
const perMilleArb = fc.option(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 3 }), {
  nil: null,
});
const fundingArb = fc
  .tuple(fc.constantFrom<Name>('w1', 'w2', 'av'), amountArb)
  .map(([credit, amount]): ModelLeg[] => [{ debit: 'clr', credit, amount: amount * 3n }]);

const commandsArb = fc.commands(
  [
    fc.tuple(fc.constantFrom(...CURRENCIES), fundingArb).map(([c, legs]) => new MoveCommand('post', c, legs)),
    fc.tuple(fc.constantFrom(...CURRENCIES), legsArb).map(([c, legs]) => new MoveCommand('post', c, legs)),
    fc.tuple(fc.constantFrom(...CURRENCIES), legsArb).map(([c, legs]) => new MoveCommand('hold', c, legs)),
    fc.tuple(fc.nat(), perMilleArb).map(([pick, perMille]) => new ResolveHoldCommand('post', pick, perMille)),
    fc.nat().map((pick) => new ResolveHoldCommand('void', pick, null)),
    fc.nat().map((pick) => new ResolveHoldCommand('expire', pick, null)),
    fc.tuple(fc.nat(), perMilleArb).map(([pick, perMille]) => new ReverseCommand(pick, perMille)),
    fc.tuple(fc.nat(), fc.boolean()).map(([pick, other]) => new ReplayCommand(pick, other)),
  ],
  { maxCommands: MAX_COMMANDS, size: 'max' },
);

describe('ledger model', () => {
  let t: TestApp;
  let ledger: LedgerService;
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestApp();
    ledger = t.app.get(LedgerService);
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  async function freshReal(): Promise<Real> {
    const run = randomUUID().replace(/-/g, '').slice(0, 12);
    const keys = new Map<string, LedgerAccountKey>();
    const ids: string[] = [];
    const owners: Record<Name, [string, LedgerAccountKey['purpose']]> = {
      w1: [`acct_m${run}a`, 'wallet'],
      w2: [`acct_m${run}b`, 'wallet'],
      av: [`acct_m${run}r`, 'available'],
      rp: [`acct_m${run}r`, 'pending'],
      fee: [`platform_m${run}`, 'fees'],
      clr: [`platform_m${run}`, 'provider_clearing'],
    };
    for (const currency of CURRENCIES) {
      for (const name of NAMES) {
        const [owner, purpose] = owners[name];
        const k = { owner, purpose, currency };
        keys.set(`${currency}:${name}`, k);
        ids.push(await ledger.openAccount(k, undefined, name === 'fee' ? { shards: 4 } : {}));
      }
    }
    return { ledger, db, run, keys, ids, sequence: 0 };
  }

  it('keeps every invariant through random operations', async () => {
    await fc.assert(
      fc.asyncProperty(commandsArb, async (commands) => {
        const real = await freshReal();
        await fc.asyncModelRun(() => ({ model: new Model(), real }), commands);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 600_000);
});
