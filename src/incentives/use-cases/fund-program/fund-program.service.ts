import { Injectable } from '@nestjs/common';
import { ApiError } from '../../../common/errors/api-error.js';
import { newId } from '../../../common/ids.js';
import { parseMoneyParam } from '../../../common/validation/parse-money-param.js';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import { LedgerService } from '../../../ledger/ledger.service.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import { BudgetMovement } from '../../budget-movement.entity.js';
import type { AdminProgramView } from '../../dto/program.dto.js';
import { IncentiveProgramsRepository } from '../../incentive-programs.repository.js';
import { presentAdminProgram } from '../../incentive.presenter.js';
import {
  budgetAccount,
  platformCompensationAccount,
  PLATFORM_OWNER,
  settleBudgetNotifications,
} from '../../program-budget.js';

/** Moves platform money (the compensation account) into a program's budget. */
@Injectable()
export class FundProgramService {
  constructor(
    private readonly programs: IncentiveProgramsRepository,
    private readonly ledger: LedgerService,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
  ) {}

  async fund(programId: string, amountParam: string): Promise<AdminProgramView> {
    const amount = parseMoneyParam(amountParam, 'amount');
    return this.transactions.run(async (manager) => {
      const program = await this.programs.lock(manager, programId);
      if (!program) throw ApiError.notFound('incentive_program', programId);
      if (program.status === 'ended') {
        throw ApiError.conflict('program_ended', 'An ended program cannot be funded.');
      }
      const id = newId('bmov');
      const transaction = await this.ledger.post(
        {
          reference: `incentive_budget:${id}`,
          type: 'incentive_funding',
          sourceType: 'incentive_program',
          sourceId: program.id,
          description: `Fund ${program.name}`,
          metadata: { incentive_program: program.id },
          legs: [{ debit: platformCompensationAccount(program.currency), credit: budgetAccount(program), amount }],
        },
        manager,
      );
      await this.programs.insertMovement(
        manager,
        Object.assign(new BudgetMovement(), {
          id,
          programId: program.id,
          type: 'fund',
          currency: program.currency,
          amount,
          ledgerTransactionId: transaction.id,
          bookedAt: transaction.createdAt,
          createdAt: new Date(),
        } satisfies BudgetMovement),
      );
      program.funded += amount;
      settleBudgetNotifications(program, false);
      await this.programs.saveBudget(manager, program);
      const view = presentAdminProgram(program);
      await this.events.record(manager, { accountId: PLATFORM_OWNER, type: 'incentive_program.funded', object: view });
      return view;
    });
  }
}
