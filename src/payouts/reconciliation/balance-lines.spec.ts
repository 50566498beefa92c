import { AvailableEntry, availableDelta, explainEntries, SettlementBreakdown, summarize } from './balance-lines.js';

const at = new Date('2025-03-05T00:00:00Z');

function entry(transactionId: string, changes: Partial<AvailableEntry>): AvailableEntry {
  return {
    transactionId,
    direction: 'credit',
    effect: 'post',
    amount: 0n,
    transactionType: 'adjustment',
    transactionKind: 'transfer',
    sourceType: null,
    sourceId: null,
    description: null,
    at,
    ...changes,
  };
}

describe('explainEntries', () => {
  it('computes what each entry does to an available balance', () => {
    expect(availableDelta({ direction: 'credit', effect: 'post', amount: 5n })).toBe(5n);
    expect(availableDelta({ direction: 'debit', effect: 'post', amount: 5n })).toBe(-5n);
    expect(availableDelta({ direction: 'debit', effect: 'hold', amount: 5n })).toBe(-5n);
    expect(availableDelta({ direction: 'debit', effect: 'release', amount: 5n })).toBe(5n);
    expect(availableDelta({ direction: 'credit', effect: 'hold', amount: 5n })).toBe(0n);
  });

  it('opens a settlement into its payments and refunds, and shows the reserve apart', () => {
    const settlement: SettlementBreakdown = {
      settlementId: 'stl_1',
      reserveAmount: 1_000n,
      items: [
        {
          transactionType: 'payment',
          sourceType: 'payment',
          sourceId: 'pay_1',
          description: null,
          ledgerTransactionId: 'ltx_pay',
          occurredAt: at,
          availableOn: at,
          gross: 10_250n,
          fee: 250n,
          net: 10_000n,
        },
        {
          transactionType: 'refund',
          sourceType: 'refund',
          sourceId: 're_1',
          description: null,
          ledgerTransactionId: 'ltx_ref',
          occurredAt: at,
          availableOn: at,
          gross: -2_000n,
          fee: -50n,
          net: -1_950n,
        },
      ],
    };
    const lines = explainEntries(
      [
        entry('ltx_stl', { transactionType: 'settlement', amount: 8_050n }),
        entry('ltx_stl', { transactionType: 'settlement', direction: 'debit', amount: 1_000n }),
      ],
      new Map([['ltx_stl', settlement]]),
      new Map(),
    );
    expect(lines.map((l) => [l.type, l.gross, l.fee, l.net])).toEqual([
      ['payment', 10_250n, 250n, 10_000n],
      ['refund', -2_000n, -50n, -1_950n],
      ['reserve_hold', -1_000n, 0n, -1_000n],
    ]);
    expect(summarize(lines).map((t) => [t.type, t.count, t.net])).toEqual([
      ['payment', 1, 10_000n],
      ['refund', 1, -1_950n],
      ['reserve_hold', 1, -1_000n],
    ]);
  });

  it('names payout movements and leaves out postings that do not change the balance', () => {
    const payout = { transactionType: 'payout', sourceType: 'payout', sourceId: 'po_1' };
    const lines = explainEntries(
      [
        entry('ltx_hold', { ...payout, transactionKind: 'hold', direction: 'debit', effect: 'hold', amount: 700n }),
        entry('ltx_post', {
          ...payout,
          transactionKind: 'post_pending',
          direction: 'debit',
          effect: 'release',
          amount: 700n,
        }),
        entry('ltx_post', {
          ...payout,
          transactionKind: 'post_pending',
          direction: 'debit',
          effect: 'post',
          amount: 700n,
        }),
        entry('ltx_void', {
          ...payout,
          transactionKind: 'void_pending',
          direction: 'debit',
          effect: 'release',
          amount: 300n,
        }),
        entry('ltx_back', { transactionType: 'payout_return', sourceType: 'payout', sourceId: 'po_2', amount: 400n }),
        entry('ltx_adj', { description: 'Goodwill credit', amount: 5n }),
      ],
      new Map(),
      new Map([['po_1', 'canceled']]),
    );
    expect(lines.map((l) => [l.type, l.net])).toEqual([
      ['payout', -700n],
      ['payout_cancel', 300n],
      ['payout_return', 400n],
      ['adjustment', 5n],
    ]);
  });
});
