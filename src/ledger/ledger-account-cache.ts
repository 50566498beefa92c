import type { LedgerAccountRecord } from './ledger.repository.js';
import type { LedgerAccountKey } from './ledger.types.js';

export function accountKeyString(key: LedgerAccountKey): string {
  return `${key.owner}\u0001${key.purpose}\u0001${key.currency}`;
}

/**
 * Key → account, oldest first out (an evicted hot account simply costs one lookup to come back). The mapping
 * never changes once an account exists, so a replica may cache it; an id cached from a transaction that later
 * rolled back is detected by ledger_apply ('missing_balance') and evicted.
 */
export class LedgerAccountCache {
  private readonly byKey = new Map<string, LedgerAccountRecord>();

  constructor(private readonly capacity: number) {}

  get(name: string): LedgerAccountRecord | undefined {
    return this.byKey.get(name);
  }

  set(account: LedgerAccountRecord): void {
    this.byKey.set(accountKeyString(account.key), account);
    if (this.byKey.size > this.capacity) this.byKey.delete(this.byKey.keys().next().value as string);
  }

  evict(accountIds: ReadonlySet<string>): void {
    for (const [name, account] of this.byKey) if (accountIds.has(account.id)) this.byKey.delete(name);
  }
}
