import type { LedgerAccountRecord } from './ledger.repository.js';
import type { LedgerAccountKey } from './ledger.types.js';

export function accountKeyString(key: LedgerAccountKey): string {
  return `${key.owner}\u0001${key.purpose}\u0001${key.currency}`;
}

/**
 * Key → account, least recently used first out. The mapping never changes once an account exists, so a
 * replica may cache it; an id cached from a transaction that later rolled back is detected by ledger_apply
 * ('missing_balance') and evicted.
 */
export class LedgerAccountCache {
  private readonly byKey = new Map<string, LedgerAccountRecord>();

  constructor(private readonly capacity: number) {}

  get(key: LedgerAccountKey): LedgerAccountRecord | undefined {
    const name = accountKeyString(key);
    const account = this.byKey.get(name);
    if (account) {
      this.byKey.delete(name);
      this.byKey.set(name, account);
    }
    return account;
  }

  set(account: LedgerAccountRecord): void {
    const name = accountKeyString(account.key);
    this.byKey.delete(name);
    this.byKey.set(name, account);
    if (this.byKey.size > this.capacity) this.byKey.delete(this.byKey.keys().next().value as string);
  }

  evict(accountIds: ReadonlySet<string>): void {
    for (const [name, account] of this.byKey) if (accountIds.has(account.id)) this.byKey.delete(name);
  }
}
