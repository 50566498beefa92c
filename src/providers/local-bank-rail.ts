import { Inject, Injectable } from '@nestjs/common';
import { minorUnitsToNanos } from '../../libs/money/src/index.js';
import { Clock } from '../common/clock/clock.js';
import { newId } from '../common/ids.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { LocalBankRepository, LocalBankTransfer } from './local-bank.repository.js';
import {
  PayoutRequest,
  PayoutResult,
  PayoutUpdate,
  RailPayoutStatus,
  RailRejectedError,
  RailStatementLine,
} from './payout-rail.js';

const DAY_MS = 86_400_000;

const FAILURE_MESSAGES: Record<string, string> = {
  account_closed: 'The bank account has been closed.',
  account_frozen: 'The bank account has been frozen.',
  could_not_process: 'The bank could not process this payout.',
  debit_not_authorized: 'Debit transactions are not approved on the bank account.',
  insufficient_funds: 'The account has insufficient funds to cover the payout.',
  invalid_account_number: 'The routing number seems correct, but the account number is invalid.',
  invalid_currency: 'The bank was unable to process this payout because of its currency.',
  no_account: 'The bank account details on file are probably incorrect.',
};

export function failureMessage(code: string): string {
  return FAILURE_MESSAGES[code] ?? `The bank refused the payout (${code}).`;
}

/**
 * A simulated bank for the local rail. A payout settles LOCAL_RAIL_SETTLEMENT_SECONDS (business time) after it is
 * sent; destination account numbers listed in LOCAL_RAIL_FAILING_ACCOUNTS fail with their code when they settle,
 * and those in LOCAL_RAIL_RETURNING_ACCOUNTS are paid and then returned LOCAL_RAIL_RETURN_DAYS later, like the
 * test bank numbers of Stripe.
 */
@Injectable()
export class LocalBankRail {
  constructor(
    private readonly repository: LocalBankRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Accepts payouts. A repeated request (same idempotency key) gets the transfer the bank already has: the first
   * row is kept and returned, so nothing is decided or paid twice.
   */
  async createPayouts(requests: PayoutRequest[]): Promise<Array<PayoutResult | Error>> {
    const now = this.clock.now();
    const answers: Array<PayoutResult | Error> = [];
    const transfers: LocalBankTransfer[] = [];
    for (const request of requests) {
      const destination = request.destination;
      if (destination?.type !== 'bank_account') {
        answers.push(
          new RailRejectedError('no_payout_destination', 'The local rail pays to a bank account; none is set.'),
        );
        continue;
      }
      const settlesAt = new Date(now.getTime() + this.config.localRailSettlementSeconds * 1000);
      const failureCode =
        destination.currency !== request.currency
          ? 'invalid_currency'
          : (this.config.localRailFailingAccounts[destination.accountNumber] ?? null);
      const returnCode = failureCode
        ? null
        : (this.config.localRailReturningAccounts[destination.accountNumber] ?? null);
      const immediate = this.config.localRailSettlementSeconds === 0;
      const status = immediate ? (failureCode ? 'failed' : 'paid') : 'in_transit';
      transfers.push({
        id: newId('lbt', now.getTime()),
        idempotencyKey: request.idempotencyKey,
        payoutId: request.payoutId,
        amount: minorUnitsToNanos(request.amountMinor, request.currency),
        currency: request.currency,
        accountHolderName: destination.accountHolderName,
        accountNumber: destination.accountNumber,
        routingNumber: destination.routingNumber,
        status,
        failureCode,
        failureMessage: failureCode ? failureMessage(failureCode) : null,
        returnCode,
        settlesAt,
        returnsAt: returnCode ? new Date(settlesAt.getTime() + this.config.localRailReturnDays * DAY_MS) : null,
        paidAt: status === 'paid' ? settlesAt : null,
        failedAt: status === 'failed' ? settlesAt : null,
        returnedAt: null,
        // The caller learns this status from the response itself; only later changes are reported as updates.
        notifiedStatus: status,
        createdAt: now,
      });
      answers.push(new Error('unanswered'));
    }
    const stored = new Map((await this.repository.insertManyOnce(transfers)).map((t) => [t.idempotencyKey, t]));
    return requests.map((request, index) => {
      const answer = answers[index];
      if (answer instanceof RailRejectedError) return answer;
      const transfer = stored.get(request.idempotencyKey);
      return transfer ? this.result(transfer) : new Error(`The bank lost transfer ${request.idempotencyKey}.`);
    });
  }

  /** Runs the bank's processing up to business time now and reports what changed since the last report. */
  async pollUpdates(limit: number): Promise<PayoutUpdate[]> {
    await this.repository.advance(this.clock.now());
    const changed = await this.repository.unnotified(limit);
    return changed.map((transfer) => ({
      id: `${transfer.id}.${transfer.status}`,
      payoutId: transfer.payoutId,
      providerPayoutId: transfer.id,
      providerTransferId: null,
      status: this.railStatus(transfer),
      returned: transfer.status === 'returned',
      failureCode: transfer.status === 'returned' ? transfer.returnCode : transfer.failureCode,
      failureMessage:
        transfer.status === 'returned'
          ? failureMessage(transfer.returnCode ?? 'could_not_process')
          : transfer.failureMessage,
      occurredAt: transfer.returnedAt ?? transfer.failedAt ?? transfer.paidAt ?? transfer.createdAt,
    }));
  }

  async acknowledge(update: PayoutUpdate): Promise<void> {
    const [transferId, status] = update.id.split('.');
    await this.repository.markNotified(transferId, status as LocalBankTransfer['status']);
  }

  /** The statement lines (money that moved) in [from, to). */
  async statement(from: Date, to: Date): Promise<RailStatementLine[]> {
    const lines: RailStatementLine[] = [];
    for (const transfer of await this.repository.movedBetween(from, to)) {
      const base = {
        reference: transfer.id,
        payoutId: transfer.payoutId,
        amount: transfer.amount,
        currency: transfer.currency,
      };
      if (transfer.paidAt && transfer.paidAt >= from && transfer.paidAt < to) {
        lines.push({ ...base, type: 'payout', occurredAt: transfer.paidAt });
      }
      if (transfer.returnedAt && transfer.returnedAt >= from && transfer.returnedAt < to) {
        lines.push({ ...base, type: 'payout_return', occurredAt: transfer.returnedAt });
      }
    }
    return lines.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  }

  private railStatus(transfer: LocalBankTransfer): RailPayoutStatus {
    return transfer.status === 'returned' ? 'failed' : transfer.status;
  }

  private result(transfer: LocalBankTransfer): PayoutResult {
    return {
      providerPayoutId: transfer.id,
      providerTransferId: null,
      // A return is a later event: the creation answer says paid and the return arrives as an update.
      status: transfer.status === 'returned' ? 'paid' : transfer.status,
      failureCode: transfer.status === 'failed' ? transfer.failureCode : null,
      failureMessage: transfer.status === 'failed' ? transfer.failureMessage : null,
      arrivalDate: transfer.settlesAt,
    };
  }
}
