import type { RailStatementLine } from '../../providers/payout-rail.js';
import { dropBouncedPairs, ExpectedLine, matchStatement } from './statement-matching.js';

const at = new Date('2025-03-01T00:00:00Z');
const expected = (payoutId: string, type: ExpectedLine['type'], amount: bigint): ExpectedLine => ({
  payoutId,
  accountId: 'acct_1',
  type,
  amount,
  currency: 'usd',
  ledgerReference: `ltx_${payoutId}`,
});
const line = (payoutId: string | null, type: RailStatementLine['type'], amount: bigint): RailStatementLine => ({
  reference: `bank_${payoutId}_${type}`,
  payoutId,
  type,
  amount,
  currency: 'usd',
  occurredAt: at,
});

describe('matchStatement', () => {
  it('matches lines by payout and type when the amounts agree', () => {
    const result = matchStatement(
      [expected('po_1', 'payout', 10n), expected('po_1', 'payout_return', 10n)],
      [line('po_1', 'payout', 10n), line('po_1', 'payout_return', 10n)],
    );
    expect(result).toEqual({ matched: 2, exceptions: [] });
  });

  it('reports every difference: amounts, lines missing on either side, duplicates', () => {
    const result = matchStatement(
      [expected('po_1', 'payout', 10n), expected('po_2', 'payout', 20n)],
      [line('po_1', 'payout', 11n), line('po_3', 'payout', 5n), line(null, 'other', 1n)],
    );
    expect(result.matched).toBe(0);
    expect(result.exceptions.map((e) => [e.kind, e.payoutId, e.expectedAmount, e.actualAmount])).toEqual([
      ['amount_mismatch', 'po_1', 10n, 11n],
      ['unmatched_ledger_line', 'po_2', 20n, null],
      ['unmatched_provider_line', 'po_3', null, 5n],
      ['unmatched_provider_line', null, null, 1n],
    ]);
    const duplicated = matchStatement(
      [expected('po_1', 'payout', 10n)],
      [line('po_1', 'payout', 10n), line('po_1', 'payout', 10n)],
    );
    expect(duplicated.exceptions.map((e) => e.kind)).toEqual(['unmatched_provider_line']);
  });

  it('treats a payout that bounced before it was paid as no movement on the rail', () => {
    const lines = [line('po_1', 'payout', 10n), line('po_1', 'payout_return', 10n), line('po_1', 'transfer', 10n)];
    expect(dropBouncedPairs(lines, new Set(['po_1'])).map((l) => l.type)).toEqual(['transfer']);
  });
});
