import { Injectable } from '@nestjs/common';
import { formatAmount } from '../../../../libs/money/src/index.js';
import { ApiError } from '../../../common/errors/api-error.js';
import { newId } from '../../../common/ids.js';
import { parseMoneyParam } from '../../../common/validation/parse-money-param.js';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import { LedgerService } from '../../../ledger/ledger.service.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import { BudgetMovement } from '../../budget-movement.entity.js';
import type { AdminProgramView } from '../../dto/program.dto.js';
import { remainingBudget } from '../../incentive-program.entity.js';
import { IncentiveProgramsRepository } from '../../incentive-programs.repository.js';
import { presentAdminProgram } from '../../incentive.presenter.js';
import {
  budgetAccount,
  platformCompensationAccount,
  PLATFORM_OWNER,
  settleBudgetNotifications,
} from '../../program-budget.js';

/**
 * Moves unspent budget back to the platform. Locked like every grant, so it can never take money a concurrent
 * benefit already took: it withdraws at most what remains at that instant.
 */
@Injectable()
export class WithdrawProgramBudgetService {
  constructor(
    private readonly programs: IncentiveProgramsRepository,
    private readonly ledger: LedgerService,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
  ) {}

  async withdraw(programId: string, amountParam: string | undefined): Promise<AdminProgramView> {
    const requested = amountParam === undefined ? null : parseMoneyParam(amountParam, 'amount');
    return this.transactions.run(async (manager) => {
      const program = await this.programs.lock(manager, programId);
      if (!program) throw ApiError.notFound('incentive_program', programId);
      const remaining = remainingBudget(program);
      const amount = requested ?? remaining;
      if (amount === 0n) {
        throw ApiError.badRequest('budget_empty', 'Nothing remains in this budget to withdraw.', 'amount');
      }
      if (amount > remaining) {
        throw ApiError.badRequest(
          'amount_exceeds_remaining',
          `At most ${formatAmount(remaining, program.currency)} remains in this budget.`,
          'amount',
        );
      }
      const id = newId('bmov');
      const transaction = await this.ledger.post(
        {
          reference: `incentive_budget:${id}`,
          type: 'incentive_withdrawal',
          sourceType: 'incentive_program',
          sourceId: program.id,
          description: `Withdraw from ${program.name}`,
          metadata: { incentive_program: program.id },
          legs: [{ debit: budgetAccount(program), credit: platformCompensationAccount(program.currency), amount }],
        },
        manager,
      );
      await this.programs.insertMovement(
        manager,
        Object.assign(new BudgetMovement(), {
          id,
          programId: program.id,
          type: 'withdraw',
          currency: program.currency,
          amount,
          ledgerTransactionId: transaction.id,
          bookedAt: transaction.createdAt,
          createdAt: new Date(),
        } satisfies BudgetMovement),
      );
      program.withdrawn += amount;
      settleBudgetNotifications(program, false);
      await this.programs.saveBudget(manager, program);
      const view = presentAdminProgram(program);
      await this.events.record(manager, {
        accountId: PLATFORM_OWNER,
        type: 'incentive_program.budget_withdrawn',
        object: view,
      });
      return view;
    });
  }
}
