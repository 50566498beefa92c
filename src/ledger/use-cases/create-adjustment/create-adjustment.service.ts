import { Injectable } from '@nestjs/common';
import { formatAmount } from '../../../../libs/money/src/index.js';
import { unixSeconds } from '../../../common/pagination/pagination.js';
import { parseMoneyParam } from '../../../common/validation/parse-money-param.js';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import type { CreateAdjustmentRequest, LedgerTransactionView } from '../../dto/ledger.dto.js';
import { LedgerReportsService } from '../../ledger-reports.service.js';
import { LedgerService } from '../../ledger.service.js';
import type { LedgerLeg } from '../../ledger.types.js';

/** Adjustments live in their own reference namespace, so an operator's reference never replays another module's. */
export const ADJUSTMENT_REFERENCE_OWNER = 'operator_adjustment';

/**
 * A manual, balanced correction by the operator: a posted transaction of type 'adjustment' whose description
 * is the mandatory reason and which records the operator's request id. Each merchant account it touches gets a
 * `balance.adjusted` event in the same database transaction.
 */
@Injectable()
export class CreateAdjustmentService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly reports: LedgerReportsService,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
  ) {}

  async execute(request: CreateAdjustmentRequest, requestId: string): Promise<LedgerTransactionView> {
    const { currency } = request;
    const legs: LedgerLeg[] = request.legs.map((leg, i) => ({
      debit: { owner: leg.debit.owner, purpose: leg.debit.purpose, currency },
      credit: { owner: leg.credit.owner, purpose: leg.credit.purpose, currency },
      amount: parseMoneyParam(leg.amount, `legs[${i}].amount`),
    }));
    const transaction = await this.transactions.run(async (manager) => {
      const posted = await this.ledger.post(
        {
          reference: request.reference ?? `request:${requestId}`,
          referenceOwner: ADJUSTMENT_REFERENCE_OWNER,
          type: 'adjustment',
          description: request.reason,
          requestId,
          legs,
        },
        manager,
      );
      if (posted.replayed) return posted;
      const changes = new Map<string, Map<string, bigint>>();
      const change = (owner: string, purpose: string, amount: bigint) => {
        if (!owner.startsWith('acct_')) return;
        const byPurpose = changes.get(owner) ?? new Map<string, bigint>();
        byPurpose.set(purpose, (byPurpose.get(purpose) ?? 0n) + amount);
        changes.set(owner, byPurpose);
      };
      for (const leg of legs) {
        change(leg.debit.owner, leg.debit.purpose, -leg.amount);
        change(leg.credit.owner, leg.credit.purpose, leg.amount);
      }
      await this.events.recordMany(
        manager,
        [...changes].map(([accountId, byPurpose]) => ({
          accountId,
          type: 'balance.adjusted',
          requestId,
          object: {
            object: 'balance_adjustment',
            id: posted.id,
            created: unixSeconds(posted.createdAt),
            currency,
            reason: request.reason,
            changes: [...byPurpose].map(([purpose, amount]) => ({ purpose, amount: formatAmount(amount, currency) })),
          },
        })),
      );
      return posted;
    });
    return this.reports.transaction(transaction.id);
  }
}
