import { formatAmount } from '../../../libs/money/src/index.js';
import { unixSeconds } from '../../common/pagination/pagination.js';
import type { BalanceLineView, LineTypeTotalView } from '../dto/reconciliation.dto.js';
import { BalanceLine, summarize } from './balance-lines.js';

export function presentLine(line: BalanceLine, currency: string): BalanceLineView {
  return {
    type: line.type,
    available_on: line.availableOn ? unixSeconds(line.availableOn) : null,
    created: unixSeconds(line.at),
    description: line.description,
    fee: formatAmount(line.fee, currency),
    gross: formatAmount(line.gross, currency),
    ledger_transaction: line.ledgerTransactionId,
    net: formatAmount(line.net, currency),
    source_id: line.sourceId,
    source_type: line.sourceType,
  };
}

export function presentSummary(lines: BalanceLine[], currency: string): LineTypeTotalView[] {
  return summarize(lines).map((total) => ({
    type: total.type,
    count: total.count,
    fee: formatAmount(total.fee, currency),
    gross: formatAmount(total.gross, currency),
    net: formatAmount(total.net, currency),
  }));
}

export const LINE_CSV_HEADER =
  'type,created,available_on,source_type,source_id,ledger_transaction,description,gross,fee,net,currency';

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted and its quotes doubled. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function isoOrEmpty(date: Date | null): string {
  return date ? date.toISOString() : '';
}

export function lineCsvRow(line: BalanceLine, currency: string): string {
  return [
    line.type,
    line.at.toISOString(),
    isoOrEmpty(line.availableOn),
    line.sourceType,
    line.sourceId,
    line.ledgerTransactionId,
    line.description,
    formatAmount(line.gross, currency),
    formatAmount(line.fee, currency),
    formatAmount(line.net, currency),
    currency,
  ]
    .map(csvField)
    .join(',');
}

/** A balance row (opening, closing, a payout) in the same columns, its amount in `net`. */
export function balanceCsvRow(type: string, at: Date | null, amount: bigint, currency: string, sourceId = ''): string {
  const value = formatAmount(amount, currency);
  return [
    type,
    isoOrEmpty(at),
    '',
    sourceId ? 'payout' : '',
    sourceId,
    '',
    '',
    value,
    formatAmount(0n, currency),
    value,
    currency,
  ]
    .map(csvField)
    .join(',');
}
