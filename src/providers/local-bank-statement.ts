import { formatAmount, isCurrency, parseAmount } from '../../libs/money/src/index.js';
import type { RailStatementLine } from './payout-rail.js';

/**
 * The local bank's statement file, as a finance team would download it from a bank portal: one CSV line per money
 * movement on the platform's settlement account. Payouts leave (negative), returns come back (positive).
 */
export const LOCAL_STATEMENT_HEADER = 'date,bank_reference,payout,type,amount,currency';

export class StatementFormatError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`Statement line ${line}: ${message}`);
  }
}

export function formatLocalStatement(lines: RailStatementLine[]): string {
  const body = lines.map((line) => {
    const signed = line.type === 'payout' ? -line.amount : line.amount;
    return [
      line.occurredAt.toISOString(),
      line.reference,
      line.payoutId ?? '',
      line.type,
      formatAmount(signed, line.currency),
      line.currency,
    ].join(',');
  });
  return [LOCAL_STATEMENT_HEADER, ...body].join('\n') + '\n';
}

/** Reads a statement back; every malformed line is refused rather than skipped, so nothing is silently lost. */
export function parseLocalStatement(csv: string): RailStatementLine[] {
  const rows = csv.split(/\r?\n/).filter((row) => row.trim() !== '');
  if (rows[0]?.trim() !== LOCAL_STATEMENT_HEADER) {
    throw new StatementFormatError(1, `the header must be "${LOCAL_STATEMENT_HEADER}".`);
  }
  return rows.slice(1).map((row, index) => {
    const lineNumber = index + 2;
    const cells = row.split(',');
    if (cells.length !== 6) throw new StatementFormatError(lineNumber, `expected 6 fields, found ${cells.length}.`);
    const [date, reference, payoutId, type, amount, currency] = cells.map((cell) => cell.trim());
    const occurredAt = new Date(date);
    if (Number.isNaN(occurredAt.getTime())) throw new StatementFormatError(lineNumber, `"${date}" is not a date.`);
    if (type !== 'payout' && type !== 'payout_return') {
      throw new StatementFormatError(lineNumber, `unknown type "${type}".`);
    }
    if (!isCurrency(currency)) throw new StatementFormatError(lineNumber, `unknown currency "${currency}".`);
    let signed: bigint;
    try {
      signed = parseAmount(amount, { allowNegative: true });
    } catch (error) {
      throw new StatementFormatError(lineNumber, (error as Error).message);
    }
    return {
      reference,
      payoutId: payoutId === '' ? null : payoutId,
      type,
      amount: signed < 0n ? -signed : signed,
      currency,
      occurredAt,
    };
  });
}
