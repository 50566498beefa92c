import { formatAmount } from '../../libs/money/src/index.js';
import { unixSeconds } from '../common/pagination/pagination.js';
import type {
  LedgerAccountView,
  LedgerBalanceView,
  LedgerEntryView,
  LedgerTransactionView as LedgerTransactionDto,
} from './dto/ledger.dto.js';
import type {
  BalanceCounters,
  EntryRecord,
  LedgerAccountRecord,
  LedgerTransactionRecord,
} from './ledger.repository.js';
import { toLedgerBalance } from './ledger.service.js';

export function presentBalance(account: LedgerAccountRecord, counters: BalanceCounters): LedgerBalanceView {
  const balance = toLedgerBalance(account, counters);
  const currency = account.key.currency;
  return {
    available: formatAmount(balance.available, currency),
    credits_pending: formatAmount(balance.creditsPending, currency),
    credits_posted: formatAmount(balance.creditsPosted, currency),
    debits_pending: formatAmount(balance.debitsPending, currency),
    debits_posted: formatAmount(balance.debitsPosted, currency),
    pending: formatAmount(balance.pending, currency),
    posted: formatAmount(balance.posted, currency),
  };
}

export function presentLedgerAccount(account: LedgerAccountRecord, counters: BalanceCounters): LedgerAccountView {
  return {
    id: account.id,
    object: 'ledger_account',
    balance: presentBalance(account, counters),
    created: unixSeconds(account.createdAt),
    currency: account.key.currency,
    floor: account.floor === null ? null : formatAmount(account.floor, account.key.currency),
    normal_balance: account.normalBalance,
    owner: account.key.owner,
    purpose: account.key.purpose,
    shards: account.shards,
  };
}

export function presentEntry(entry: EntryRecord, account: LedgerAccountRecord): LedgerEntryView {
  return {
    id: `${entry.transactionId}:${entry.ordinal}`,
    object: 'ledger_entry',
    account: entry.accountId,
    amount: formatAmount(entry.amount, entry.currency),
    created: unixSeconds(entry.createdAt),
    currency: entry.currency,
    direction: entry.direction,
    effect: entry.effect,
    ledger_transaction: entry.transactionId,
    resulting_balance: presentBalance(account, entry),
    shard: entry.shard,
  };
}

export function presentLedgerTransaction(
  tx: LedgerTransactionRecord,
  entries: LedgerEntryView[],
  children: string[],
): LedgerTransactionDto {
  return {
    id: tx.id,
    object: 'ledger_transaction',
    children,
    created: unixSeconds(tx.createdAt),
    description: tx.description,
    entries,
    expires_at: tx.expiresAt ? unixSeconds(tx.expiresAt) : null,
    kind: tx.kind,
    legs: tx.legs.map((leg) => ({
      amount: formatAmount(BigInt(leg.a), leg.cur),
      credit_account: leg.c,
      currency: leg.cur,
      debit_account: leg.d,
    })),
    metadata: tx.metadata ?? {},
    parent: tx.parentId,
    reference: tx.reference,
    reference_owner: tx.referenceOwner,
    request_id: tx.requestId,
    resolved_at: tx.resolvedAt ? unixSeconds(tx.resolvedAt) : null,
    source_id: tx.sourceId,
    source_type: tx.sourceType,
    status: tx.status,
    type: tx.type,
  };
}
