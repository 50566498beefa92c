import { formatLocalStatement, parseLocalStatement, StatementFormatError } from './local-bank-statement.js';
import type { RailStatementLine } from './payout-rail.js';

describe('local bank statement file', () => {
  const lines: RailStatementLine[] = [
    {
      reference: 'lbt_1',
      payoutId: 'po_1',
      type: 'payout',
      amount: 12_340_000_000n,
      currency: 'usd',
      occurredAt: new Date('2025-03-01T00:00:00Z'),
    },
    {
      reference: 'lbt_1',
      payoutId: 'po_1',
      type: 'payout_return',
      amount: 12_340_000_000n,
      currency: 'usd',
      occurredAt: new Date('2025-03-02T00:00:00Z'),
    },
  ];

  it('writes payouts as outgoing and returns as incoming amounts, and reads them back exactly', () => {
    const csv = formatLocalStatement(lines);
    expect(csv.split('\n')[1]).toBe('2025-03-01T00:00:00.000Z,lbt_1,po_1,payout,-12.34,usd');
    expect(parseLocalStatement(csv)).toEqual(lines);
  });

  it('refuses a malformed line instead of skipping it', () => {
    const csv = formatLocalStatement(lines).replace('-12.34', '-12.3x');
    expect(() => parseLocalStatement(csv)).toThrow(StatementFormatError);
    expect(() => parseLocalStatement('nope\n')).toThrow(/header/);
  });
});
