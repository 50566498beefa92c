/**
 * Explains movements of a receiver's available balance line by line. Pure: the repository hands in the
 * ledger entries of the available account (in ledger order) with what each transaction was, and this turns them
 * into the lines a finance team reads: the payments, usage charges, refunds and subsidies inside each
 * settlement (with gross, fee and net), reserve holds and releases, payouts and their failures or returns, and
 * anything else as an adjustment. The lines of a window always add up to the change of the balance over it.
 */

export interface AvailableEntry {
  transactionId: string;
  direction: 'debit' | 'credit';
  effect: 'hold' | 'release' | 'post';
  amount: bigint;
  transactionType: string;
  transactionKind: string;
  sourceType: string | null;
  sourceId: string | null;
  description: string | null;
  /** Business time of the line when the platform knows it (settlement, release, payout change), else ledger time. */
  at: Date;
}

export interface SettlementBreakdown {
  settlementId: string;
  reserveAmount: bigint;
  items: Array<{
    transactionType: string;
    sourceType: string | null;
    sourceId: string | null;
    description: string | null;
    ledgerTransactionId: string;
    occurredAt: Date;
    availableOn: Date;
    gross: bigint;
    fee: bigint;
    net: bigint;
  }>;
}

export interface BalanceLine {
  type: string;
  sourceType: string | null;
  sourceId: string | null;
  ledgerTransactionId: string;
  description: string | null;
  at: Date;
  availableOn: Date | null;
  gross: bigint;
  fee: bigint;
  net: bigint;
}

/** The effect of one entry on a credit-normal account's available balance (posted − pending outflows). */
export function availableDelta(entry: Pick<AvailableEntry, 'direction' | 'effect' | 'amount'>): bigint {
  if (entry.direction === 'credit') return entry.effect === 'post' ? entry.amount : 0n;
  if (entry.effect === 'release') return entry.amount;
  return -entry.amount;
}

/** Payout transaction types and what a line of each means. */
function payoutLineType(entry: AvailableEntry, payoutStatus: string | undefined): string {
  if (entry.transactionKind === 'hold') return 'payout';
  if (entry.transactionKind === 'void_pending') return payoutStatus === 'canceled' ? 'payout_cancel' : 'payout_failure';
  return 'payout';
}

export function explainEntries(
  entries: AvailableEntry[],
  settlements: Map<string, SettlementBreakdown>,
  payoutStatuses: Map<string, string>,
): BalanceLine[] {
  const lines: BalanceLine[] = [];
  const byTransaction = new Map<string, AvailableEntry[]>();
  for (const entry of entries) {
    const group = byTransaction.get(entry.transactionId);
    if (group) group.push(entry);
    else byTransaction.set(entry.transactionId, [entry]);
  }
  for (const [transactionId, group] of byTransaction) {
    const first = group[0];
    const delta = group.reduce((sum, entry) => sum + availableDelta(entry), 0n);
    const settlement = settlements.get(transactionId);
    if (settlement) {
      const itemsNet = settlement.items.reduce((sum, item) => sum + item.net, 0n);
      if (itemsNet - settlement.reserveAmount === delta) {
        for (const item of settlement.items) {
          lines.push({
            type: item.transactionType,
            sourceType: item.sourceType,
            sourceId: item.sourceId,
            ledgerTransactionId: item.ledgerTransactionId,
            description: item.description,
            at: item.occurredAt,
            availableOn: item.availableOn,
            gross: item.gross,
            fee: item.fee,
            net: item.net,
          });
        }
        if (settlement.reserveAmount > 0n) {
          lines.push(plainLine(first, 'reserve_hold', -settlement.reserveAmount, settlement.settlementId));
        }
        continue;
      }
    }
    if (delta === 0n) continue; // a hold posted as it was placed: no change to the available balance
    const status = first.sourceId ? payoutStatuses.get(first.sourceId) : undefined;
    const type =
      first.transactionType === 'payout'
        ? payoutLineType(first, status)
        : first.transactionType === 'payout_failure' || first.transactionType === 'payout_return'
          ? first.transactionType
          : first.transactionType === 'reserve_release'
            ? 'reserve_release'
            : first.transactionType === 'settlement'
              ? 'settlement'
              : 'adjustment';
    lines.push(plainLine(first, type, delta));
  }
  return lines;
}

function plainLine(entry: AvailableEntry, type: string, net: bigint, sourceId?: string): BalanceLine {
  return {
    type,
    sourceType: sourceId ? 'settlement' : entry.sourceType,
    sourceId: sourceId ?? entry.sourceId,
    ledgerTransactionId: entry.transactionId,
    description: type === 'adjustment' ? (entry.description ?? entry.transactionType) : entry.description,
    at: entry.at,
    availableOn: null,
    gross: net,
    fee: 0n,
    net,
  };
}

/** Totals per line type, in order of first appearance. */
export function summarize(
  lines: BalanceLine[],
): Array<{ type: string; count: number; gross: bigint; fee: bigint; net: bigint }> {
  const totals = new Map<string, { type: string; count: number; gross: bigint; fee: bigint; net: bigint }>();
  for (const line of lines) {
    const total = totals.get(line.type) ?? { type: line.type, count: 0, gross: 0n, fee: 0n, net: 0n };
    total.count += 1;
    total.gross += line.gross;
    total.fee += line.fee;
    total.net += line.net;
    totals.set(line.type, total);
  }
  return [...totals.values()];
}
