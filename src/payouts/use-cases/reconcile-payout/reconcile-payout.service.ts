import { Injectable, Logger } from '@nestjs/common';
import { formatAmount } from '../../../../libs/money/src/index.js';
import { Clock } from '../../../common/clock/clock.js';
import type { PayoutTransactions } from '../../../ledger/payout-transactions.js';
import type { PayoutReconciliationView } from '../../dto/reconciliation.dto.js';
import { PayoutsService } from '../../payouts.service.js';
import { AvailableEntriesRepository } from '../../reconciliation/available-entries.repository.js';
import { BalanceLine, explainEntries } from '../../reconciliation/balance-lines.js';
import {
  balanceCsvRow,
  LINE_CSV_HEADER,
  lineCsvRow,
  presentLine,
  presentSummary,
} from '../../reconciliation/balance-lines.presenter.js';

/** A window has few entries in practice (one settlement per day); this bounds a pathological one. */
const MAX_WINDOW_ENTRIES = 100_000;

export interface PayoutReconciliation {
  payoutId: string;
  currency: string;
  createdAt: Date;
  opening: bigint;
  closing: bigint;
  amount: bigint;
  lines: BalanceLine[];
  /** The ledger transactions of the window's entries (settlements, releases, failures…). */
  windowTransactionIds: string[];
}

/**
 * Explains a payout line by line, like Stripe's payout reconciliation report. A payout's window is every entry
 * of the receiver's available balance after the previous payout's hold and before its own: each entry belongs to
 * exactly one payout, and opening balance + lines − payout = closing balance holds exactly, because both balances
 * are the ledger's own resulting balances at the window's edges.
 */
@Injectable()
export class ReconcilePayoutService {
  private readonly logger = new Logger(ReconcilePayoutService.name);

  constructor(
    private readonly payouts: PayoutsService,
    private readonly entries: AvailableEntriesRepository,
    private readonly clock: Clock,
  ) {}

  async reconcile(accountId: string, payoutId: string): Promise<PayoutReconciliation> {
    const payout = await this.payouts.require(accountId, payoutId);
    const ledgerAccountId = await this.entries.availableAccountId(accountId, payout.currency);
    const boundaries = ledgerAccountId
      ? await this.entries.payoutBoundaries(ledgerAccountId, payout.holdTransactionId)
      : null;
    if (!ledgerAccountId || !boundaries) throw new Error(`The hold of payout ${payout.id} is not in the ledger.`);
    const window = await this.entries.entriesBetween(
      ledgerAccountId,
      boundaries.previous?.position ?? null,
      boundaries.current.position,
      MAX_WINDOW_ENTRIES,
      this.clock.offsetMilliseconds(),
    );
    const inside = window.filter((entry) => entry.transactionId !== payout.holdTransactionId);
    const [settlements, statuses] = await Promise.all([
      this.entries.settlementBreakdowns([...new Set(inside.map((entry) => entry.transactionId))]),
      this.entries.payoutStatuses([
        ...new Set(inside.filter((e) => e.sourceType === 'payout' && e.sourceId).map((e) => e.sourceId!)),
      ]),
    ]);
    const lines = explainEntries(inside, settlements, statuses);
    const result = {
      payoutId: payout.id,
      currency: payout.currency,
      createdAt: payout.createdAt,
      opening: boundaries.previous?.available ?? 0n,
      closing: boundaries.current.available,
      amount: payout.amount,
      lines,
      windowTransactionIds: [...new Set(inside.map((entry) => entry.transactionId))],
    };
    if (!isBalanced(result)) {
      this.logger.error({ msg: `The reconciliation of payout ${payout.id} does not add up.` });
    }
    return result;
  }

  async report(accountId: string, payoutId: string): Promise<PayoutReconciliationView> {
    const r = await this.reconcile(accountId, payoutId);
    const total = r.lines.reduce((sum, line) => sum + line.net, 0n);
    return {
      object: 'payout_reconciliation',
      balanced: isBalanced(r),
      closing_balance: formatAmount(r.closing, r.currency),
      currency: r.currency,
      lines: r.lines.map((line) => presentLine(line, r.currency)),
      lines_total: formatAmount(total, r.currency),
      opening_balance: formatAmount(r.opening, r.currency),
      payout: r.payoutId,
      payout_amount: formatAmount(r.amount, r.currency),
      summary: presentSummary(r.lines, r.currency),
    };
  }

  /** The same report as CSV: the opening balance, every line, the payout and the closing balance. */
  async csv(accountId: string, payoutId: string): Promise<string> {
    const r = await this.reconcile(accountId, payoutId);
    const rows = [
      LINE_CSV_HEADER,
      balanceCsvRow('opening_balance', null, r.opening, r.currency),
      ...r.lines.map((line) => lineCsvRow(line, r.currency)),
      balanceCsvRow('payout', r.createdAt, -r.amount, r.currency, r.payoutId),
      balanceCsvRow('closing_balance', r.createdAt, r.closing, r.currency),
    ];
    return rows.join('\n') + '\n';
  }
}

/** The ledger transactions behind a payout, for `payout=` on GET /v1/balance_transactions. */
@Injectable()
export class PayoutTransactionsService implements PayoutTransactions {
  constructor(
    private readonly reconcile: ReconcilePayoutService,
    private readonly entries: AvailableEntriesRepository,
  ) {}

  async transactionsOf(accountId: string, payoutId: string): Promise<string[]> {
    const r = await this.reconcile.reconcile(accountId, payoutId);
    const own = await this.entries.payoutTransactions(payoutId);
    return [...new Set([...r.windowTransactionIds, ...r.lines.map((line) => line.ledgerTransactionId), ...own])];
  }
}

export function isBalanced(r: Pick<PayoutReconciliation, 'opening' | 'closing' | 'amount' | 'lines'>): boolean {
  return r.opening + r.lines.reduce((sum, line) => sum + line.net, 0n) - r.amount === r.closing;
}
