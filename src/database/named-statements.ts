import pg from 'pg';

/** A query text becomes a named statement on its third use: one-off texts stay unnamed. */
const NAME_AFTER_USES = 3;
/** At most this many named statements per process, hence per connection. */
const MAX_NAMED = 500;
/** Texts counted towards NAME_AFTER_USES; the count starts over when it is full. */
const MAX_COUNTED = 5_000;

/**
 * Decides which query texts run as named prepared statements. PostgreSQL parses and plans an unnamed statement on
 * every execution; a named one is parsed once per connection and its plan cached (PostgreSQL re-plans when a custom
 * plan looks better), which for the short, many-joined statements of the hot paths is a large share of their
 * database CPU. Only texts that recur are named, and only so many, since each costs memory on every connection
 * that ran it; the rest run unnamed, as before.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();
  private readonly uses = new Map<string, number>();

  nameFor(text: string): string | undefined {
    const name = this.names.get(text);
    if (name !== undefined || this.names.size >= MAX_NAMED) return name;
    const uses = (this.uses.get(text) ?? 0) + 1;
    if (uses < NAME_AFTER_USES) {
      if (this.uses.size >= MAX_COUNTED) this.uses.clear();
      this.uses.set(text, uses);
      return undefined;
    }
    this.uses.delete(text);
    const named = `ar_${this.names.size + 1}`;
    this.names.set(text, named);
    return named;
  }
}

/**
 * A generic plan is made for no particular input; given arrays this long (a batch's ids, say), PostgreSQL plans
 * better for the actual input (hash joins instead of nested loops), so such executions run unnamed.
 */
const LARGE_ARRAY = 32;

function isLargeArray(value: unknown): boolean {
  return Array.isArray(value) && value.length > LARGE_ARRAY;
}

/** node-postgres's Client, seen through the one method this overrides (its query() has many overloads). */
const QueryingClient = pg.Client as unknown as new (config?: unknown) => { query(...args: unknown[]): unknown };

/**
 * A node-postgres client class whose parameterised text queries (what TypeORM sends: `query(text, values)`) run as
 * named statements when `names` says so. Queries given as config objects, and queries without parameters
 * (transaction control, DDL), pass through unchanged.
 */
export function namedStatementsClient(names = new StatementNames()): typeof pg.Client {
  class NamedStatementsClient extends QueryingClient {
    override query(...args: unknown[]): unknown {
      const [text, values, ...rest] = args;
      if (typeof text === 'string' && Array.isArray(values) && values.length > 0 && !values.some(isLargeArray)) {
        const name = names.nameFor(text);
        if (name !== undefined) return super.query({ name, text, values }, ...rest);
      }
      return super.query(...args);
    }
  }
  return NamedStatementsClient as unknown as typeof pg.Client;
}
