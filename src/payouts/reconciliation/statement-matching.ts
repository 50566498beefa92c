import { addTo } from '../../common/collections/group.js';
import type { RailStatementLine } from '../../providers/payout-rail.js';

/** A line the ledger says the rail must show. */
export interface ExpectedLine {
  payoutId: string;
  accountId: string;
  type: RailStatementLine['type'];
  amount: bigint;
  currency: string;
  /** The ledger transaction the expectation comes from. */
  ledgerReference: string;
}

export interface MatchException {
  kind: 'unmatched_provider_line' | 'unmatched_ledger_line' | 'amount_mismatch';
  payoutId: string | null;
  accountId: string | null;
  type: string;
  currency: string;
  providerReference: string | null;
  ledgerReference: string | null;
  expectedAmount: bigint | null;
  actualAmount: bigint | null;
}

export interface MatchResult {
  matched: number;
  exceptions: MatchException[];
}

/**
 * Matches the rail's lines to the ledger's expectations by payout and line type. Every line left over on either
 * side, and every pair whose amounts or currencies differ, is an exception: nothing is absorbed silently.
 */
export function matchStatement(expected: ExpectedLine[], actual: RailStatementLine[]): MatchResult {
  const unmatched = new Map<string, RailStatementLine[]>();
  const keyOf = (payoutId: string | null, type: string) => `${payoutId ?? '?'}/${type}`;
  for (const line of actual) {
    const key = keyOf(line.payoutId, line.type);
    addTo(unmatched, key, line);
  }
  const exceptions: MatchException[] = [];
  let matched = 0;
  for (const line of expected) {
    const candidates = unmatched.get(keyOf(line.payoutId, line.type)) ?? [];
    const found = candidates.shift();
    const base = {
      payoutId: line.payoutId,
      accountId: line.accountId,
      type: line.type,
      currency: line.currency,
      ledgerReference: line.ledgerReference,
      expectedAmount: line.amount,
    };
    if (!found) {
      exceptions.push({ kind: 'unmatched_ledger_line', ...base, providerReference: null, actualAmount: null });
    } else if (found.amount !== line.amount || found.currency !== line.currency) {
      exceptions.push({
        kind: 'amount_mismatch',
        ...base,
        providerReference: found.reference,
        actualAmount: found.amount,
      });
    } else {
      matched += 1;
    }
  }
  for (const lines of unmatched.values()) {
    for (const line of lines) {
      exceptions.push({
        kind: 'unmatched_provider_line',
        payoutId: line.payoutId,
        accountId: expected.find((e) => e.payoutId === line.payoutId)?.accountId ?? null,
        type: line.type,
        currency: line.currency,
        providerReference: line.reference,
        ledgerReference: null,
        expectedAmount: null,
        actualAmount: line.amount,
      });
    }
  }
  return { matched, exceptions };
}

/**
 * Stripe shows a payout that failed in transit as the payout and its failure (money out, money back), while the
 * ledger never let the money leave: such a pair is the rail's view of the same non-event.
 */
export function dropBouncedPairs(lines: RailStatementLine[], failedBeforePaid: Set<string>): RailStatementLine[] {
  return lines.filter(
    (line) =>
      !(
        line.payoutId &&
        failedBeforePaid.has(line.payoutId) &&
        (line.type === 'payout' || line.type === 'payout_return')
      ),
  );
}
