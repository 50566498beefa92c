import { Injectable } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service.js';
import { Clock } from '../common/clock/clock.js';
import { ApiError } from '../common/errors/api-error.js';
import { AvailableEntriesRepository, EntryPosition } from '../payouts/reconciliation/available-entries.repository.js';
import { explainEntries } from '../payouts/reconciliation/balance-lines.js';
import { balanceCsvRow, LINE_CSV_HEADER, lineCsvRow } from '../payouts/reconciliation/balance-lines.presenter.js';

const PAGE = 1000;

/**
 * A statement of a receiver's available balance over a period, as CSV rows written as they are read: the opening
 * balance, every movement explained like a payout reconciliation (payments inside settlements with gross, fee and
 * net, reserve holds and releases, payouts, failures, returns, adjustments), then the closing balance. Opening +
 * the sum of the rows = closing, exactly.
 */
@Injectable()
export class BalanceStatementService {
  constructor(
    private readonly entries: AvailableEntriesRepository,
    private readonly accounts: AccountsService,
    private readonly clock: Clock,
  ) {}

  async *csv(accountId: string, query: { from: string; to: string; currency?: string }): AsyncGenerator<string> {
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (!(from < to)) throw ApiError.badRequest('invalid_period', '`from` must be before `to`.', 'to');
    const currency = query.currency ?? (await this.accounts.requireAccount(accountId)).defaultCurrency;
    // The ledger stamps its own (system) clock; the period is business time.
    const offset = this.clock.offsetMilliseconds();
    const systemFrom = new Date(from.getTime() - offset);
    const systemTo = new Date(to.getTime() - offset);
    const ledgerAccountId = await this.entries.availableAccountId(accountId, currency);
    const opening = ledgerAccountId ? await this.entries.balanceAt(ledgerAccountId, systemFrom) : null;
    yield `${LINE_CSV_HEADER}\n`;
    yield `${balanceCsvRow('opening_balance', from, opening?.available ?? 0n, currency)}\n`;
    let closing = opening?.available ?? 0n;
    if (ledgerAccountId) {
      let after: EntryPosition | null = opening?.position ?? null;
      for (;;) {
        const page = await this.entries.entriesBetween(
          ledgerAccountId,
          after,
          { createdBefore: systemTo },
          PAGE,
          offset,
        );
        if (page.length === 0) break;
        // A transaction's entries must be explained together: leave a group cut by the page's end for the next page.
        let complete = page;
        if (page.length === PAGE) {
          const last = page[page.length - 1].transactionId;
          complete = page.filter((entry) => entry.transactionId !== last);
          if (complete.length === 0) complete = page;
        }
        const [settlements, statuses] = await Promise.all([
          this.entries.settlementBreakdowns([...new Set(complete.map((e) => e.transactionId))]),
          this.entries.payoutStatuses([
            ...new Set(complete.filter((e) => e.sourceType === 'payout' && e.sourceId).map((e) => e.sourceId!)),
          ]),
        ]);
        for (const line of explainEntries(complete, settlements, statuses)) {
          closing += line.net;
          yield `${lineCsvRow(line, currency)}\n`;
        }
        after = complete[complete.length - 1].position;
        if (page.length < PAGE) break;
      }
    }
    yield `${balanceCsvRow('closing_balance', to, closing, currency)}\n`;
  }
}
