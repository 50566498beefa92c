import { Injectable } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service.js';
import { Clock } from '../common/clock/clock.js';
import { ApiError } from '../common/errors/api-error.js';
import { ListPage, toPage } from '../common/pagination/pagination.js';
import type { BenefitListQuery, BenefitView } from './dto/benefit.dto.js';
import type { DeveloperProgramView, ProgramListQuery } from './dto/program.dto.js';
import { ineligibilityReasons } from './eligibility.js';
import { IncentiveBenefitsRepository } from './incentive-benefits.repository.js';
import { IncentiveEnrollmentsRepository } from './incentive-enrollments.repository.js';
import { isOpen } from './incentive-program.entity.js';
import { IncentiveProgramsRepository } from './incentive-programs.repository.js';
import { presentBenefit, presentDeveloperProgram } from './incentive.presenter.js';

/** What a developer sees: the open programs it qualifies for (or is in), and its own benefits. */
@Injectable()
export class DeveloperIncentivesService {
  constructor(
    private readonly programs: IncentiveProgramsRepository,
    private readonly enrollments: IncentiveEnrollmentsRepository,
    private readonly benefits: IncentiveBenefitsRepository,
    private readonly accounts: AccountsService,
    private readonly clock: Clock,
  ) {}

  /** Open programs the account qualifies for or is enrolled in, newest first. */
  async listPrograms(accountId: string, query: ProgramListQuery): Promise<ListPage<DeveloperProgramView>> {
    const limit = query.limit ?? 10;
    const account = await this.accounts.requireAccount(accountId);
    const now = this.clock.now();
    const open = (await this.programs.listActive({ type: query.type })).filter((program) => isOpen(program, now));
    const enrollments = new Map(
      (
        await this.enrollments.findManyForAccount(
          accountId,
          open.map((program) => program.id),
        )
      ).map((enrollment) => [enrollment.programId, enrollment]),
    );
    const visible = open.filter(
      (program) =>
        (query.starting_after === undefined || program.id < query.starting_after) &&
        (enrollments.has(program.id) || ineligibilityReasons(program, account, now).length === 0),
    );
    return toPage(visible.slice(0, limit + 1), limit, (program) =>
      presentDeveloperProgram(program, enrollments.get(program.id) ?? null),
    );
  }

  /** A program the account is enrolled in, or an open one it may look at. */
  async getProgram(accountId: string, programId: string): Promise<DeveloperProgramView> {
    const program = await this.programs.find(programId);
    const enrollment = program ? await this.enrollments.findForAccount(programId, accountId) : null;
    if (!program || (!enrollment && !isOpen(program, this.clock.now()))) {
      throw ApiError.notFound('incentive_program', programId);
    }
    return presentDeveloperProgram(program, enrollment);
  }

  async listBenefits(accountId: string, query: BenefitListQuery): Promise<ListPage<BenefitView>> {
    const limit = query.limit ?? 10;
    const rows = await this.benefits.listForAccount(accountId, limit, query.program, query.starting_after);
    return toPage(rows, limit, presentBenefit);
  }
}
