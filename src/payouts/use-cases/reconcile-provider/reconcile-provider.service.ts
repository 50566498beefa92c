import { Inject, Injectable } from '@nestjs/common';
import { formatAmount } from '../../../../libs/money/src/index.js';
import { Clock } from '../../../common/clock/clock.js';
import { ApiError } from '../../../common/errors/api-error.js';
import { newId } from '../../../common/ids.js';
import { ListPage, toPage, unixSeconds } from '../../../common/pagination/pagination.js';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import {
  formatLocalStatement,
  parseLocalStatement,
  StatementFormatError,
} from '../../../providers/local-bank-statement.js';
import { PAYMENT_PROVIDER } from '../../../providers/payment-provider.js';
import type { PaymentProvider } from '../../../providers/payment-provider.js';
import type { RailStatementLine } from '../../../providers/payout-rail.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import type {
  CreateReconciliationRunRequest,
  ReconciliationExceptionView,
  ReconciliationRunView,
} from '../../dto/provider-reconciliation.dto.js';
import {
  ExceptionRow,
  PayoutMovement,
  ProviderReconciliationRepository,
} from '../../reconciliation/provider-reconciliation.repository.js';
import { dropBouncedPairs, ExpectedLine, matchStatement } from '../../reconciliation/statement-matching.js';

/** Exceptions are the operator's business, not a receiver's: their events are recorded for the platform. */
const PLATFORM_EVENTS = 'platform';

function within(date: Date | null, from: Date, to: Date): boolean {
  return date !== null && date >= from && date < to;
}

/**
 * Provider reconciliation: imports what the rail says happened in a period (the local bank's statement file, or
 * Stripe's transfers and payouts) and matches it line by line to what the ledger recorded for the payouts of
 * that period. Every unmatched line on either side and every amount difference becomes an exception (with a
 * `reconciliation_exception.created` event) that stays open until an operator resolves it.
 */
@Injectable()
export class ReconcileProviderService {
  constructor(
    private readonly repository: ProviderReconciliationRepository,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
    private readonly clock: Clock,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
  ) {}

  async run(request: CreateReconciliationRunRequest): Promise<ReconciliationRunView> {
    const from = new Date(request.from);
    const to = new Date(request.to);
    if (!(from < to)) throw ApiError.badRequest('invalid_period', '`from` must be before `to`.', 'to');
    if (request.statement_csv !== undefined && this.provider.name !== 'local') {
      throw ApiError.badRequest(
        'statement_not_supported',
        'Statement files are imported for the local rail; Stripe is read through its API.',
        'statement_csv',
      );
    }
    const movements = await this.repository.payoutMovements(this.provider.name, from, to);
    const expected = this.expectedLines(movements, from, to);
    let actual =
      request.statement_csv !== undefined ? this.parse(request.statement_csv) : await this.fetch(movements, from, to);
    if (this.provider.name === 'stripe') {
      actual = dropBouncedPairs(
        actual,
        new Set(movements.filter((m) => m.status === 'failed' && !m.returned).map((m) => m.payoutId)),
      );
    }
    const result = matchStatement(expected, actual);
    const now = this.clock.now();
    const runId = newId('recon', now.getTime());
    const created = await this.transactions.run(async (manager) => {
      await this.repository.insertRun(manager, {
        id: runId,
        provider: this.provider.name,
        source: request.statement_csv !== undefined ? 'statement_file' : 'provider_api',
        periodStart: from,
        periodEnd: to,
        providerLines: actual.length,
        ledgerLines: expected.length,
        matched: result.matched,
        exceptions: result.exceptions.length,
        createdAt: now,
      });
      const inserted = await this.repository.insertExceptions(
        manager,
        runId,
        result.exceptions.map((e) => ({
          ...e,
          id: newId('rex', now.getTime()),
          dedupeKey: [this.provider.name, e.kind, e.payoutId ?? e.providerReference ?? '', e.type].join(':'),
        })),
        now,
      );
      const views = inserted.map(presentException);
      await this.events.recordMany(
        manager,
        views.map((view) => ({ accountId: PLATFORM_EVENTS, type: 'reconciliation_exception.created', object: view })),
      );
      return views;
    });
    return {
      id: runId,
      object: 'reconciliation_run',
      created: unixSeconds(now),
      exceptions: created,
      exceptions_found: result.exceptions.length,
      ledger_lines: expected.length,
      matched: result.matched,
      period_end: unixSeconds(to),
      period_start: unixSeconds(from),
      provider: this.provider.name,
      provider_lines: actual.length,
      source: request.statement_csv !== undefined ? 'statement_file' : 'provider_api',
    };
  }

  async listExceptions(filter: {
    status?: string;
    limit: number;
    startingAfter?: string;
  }): Promise<ListPage<ReconciliationExceptionView>> {
    return toPage(await this.repository.listExceptions(filter), filter.limit, presentException);
  }

  async resolveException(id: string, note: string): Promise<ReconciliationExceptionView> {
    return this.transactions.run(async (manager) => {
      const row = await this.repository.resolveException(manager, id, note, this.clock.now());
      if (!row) throw ApiError.notFound('reconciliation_exception', id);
      const view = presentException(row);
      await this.events.record(manager, {
        accountId: PLATFORM_EVENTS,
        type: 'reconciliation_exception.resolved',
        object: view,
      });
      return view;
    });
  }

  /** The local rail's statement file for a period, as its bank portal would export it. */
  async localStatement(from: Date, to: Date): Promise<string> {
    if (this.provider.name !== 'local') {
      throw ApiError.badRequest('statement_not_supported', 'This platform pays out through Stripe; see its dashboard.');
    }
    return formatLocalStatement(await this.provider.payoutStatement({ from, to, payouts: [] }));
  }

  /** What the ledger says each rail must show for the payouts that moved in the period. */
  private expectedLines(movements: PayoutMovement[], from: Date, to: Date): ExpectedLine[] {
    const lines: ExpectedLine[] = [];
    for (const m of movements) {
      const base = { payoutId: m.payoutId, accountId: m.accountId, currency: m.currency };
      if (this.provider.name === 'stripe') {
        if (!within(m.createdAt, from, to)) continue;
        if (m.providerTransferId) {
          lines.push({ ...base, type: 'transfer', amount: m.amount, ledgerReference: m.holdTransactionId });
        }
        if (m.paidTransaction) {
          lines.push({
            ...base,
            type: 'payout',
            amount: m.paidTransaction.amount,
            ledgerReference: m.paidTransaction.id,
          });
        }
        if (m.returnTransaction) {
          lines.push({
            ...base,
            type: 'payout_return',
            amount: m.returnTransaction.amount,
            ledgerReference: m.returnTransaction.id,
          });
        }
        if (m.status === 'failed' && m.providerTransferId) {
          lines.push({ ...base, type: 'transfer_reversal', amount: m.amount, ledgerReference: m.holdTransactionId });
        }
        continue;
      }
      if (m.paidTransaction && within(m.paidAt, from, to)) {
        lines.push({
          ...base,
          type: 'payout',
          amount: m.paidTransaction.amount,
          ledgerReference: m.paidTransaction.id,
        });
      }
      if (m.returnTransaction && within(m.failedAt, from, to)) {
        lines.push({
          ...base,
          type: 'payout_return',
          amount: m.returnTransaction.amount,
          ledgerReference: m.returnTransaction.id,
        });
      }
    }
    return lines;
  }

  private fetch(movements: PayoutMovement[], from: Date, to: Date): Promise<RailStatementLine[]> {
    return this.provider.payoutStatement({
      from,
      to,
      payouts: movements
        .filter((m) => within(m.createdAt, from, to))
        .map((m) => ({
          payoutId: m.payoutId,
          providerPayoutId: m.providerPayoutId,
          providerTransferId: m.providerTransferId,
          providerAccountId: m.providerAccountId,
        })),
    });
  }

  private parse(csv: string): RailStatementLine[] {
    try {
      return parseLocalStatement(csv);
    } catch (error) {
      if (error instanceof StatementFormatError)
        throw ApiError.badRequest('invalid_statement', error.message, 'statement_csv');
      throw error;
    }
  }
}

export function presentException(row: ExceptionRow): ReconciliationExceptionView {
  const amount = (value: string | null) =>
    value === null ? null : formatAmount(BigInt(value), row.currency ?? undefined);
  return {
    id: row.id,
    object: 'reconciliation_exception',
    account: row.account_id,
    actual_amount: amount(row.actual_amount),
    created: unixSeconds(row.created_at),
    currency: row.currency,
    expected_amount: amount(row.expected_amount),
    kind: row.kind,
    ledger_reference: row.ledger_reference,
    line_type: row.line_type,
    payout: row.payout_id,
    provider_reference: row.provider_reference,
    resolution_note: row.resolution_note,
    resolved_at: row.resolved_at ? unixSeconds(row.resolved_at) : null,
    run: row.run_id,
    status: row.status,
  };
}
