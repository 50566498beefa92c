import { Injectable } from '@nestjs/common';
import { ApiError } from '../common/errors/api-error.js';
import { newId } from '../common/ids.js';
import { ListPage, toPage } from '../common/pagination/pagination.js';
import { parseMoneyParam } from '../common/validation/parse-money-param.js';
import { Clock } from '../common/clock/clock.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { EventRecorder } from '../webhooks/event-recorder.js';
import { percentToBps } from './benefit-math.js';
import type {
  AdminProgramView,
  CreateProgramRequest,
  EligibilityRules,
  FeeDiscountTerms,
  ProgramListQuery,
  SignupCreditTerms,
  TokenSubsidyTerms,
  UpdateProgramRequest,
} from './dto/program.dto.js';
import { IncentiveProgram, PROGRAM_TYPES } from './incentive-program.entity.js';
import type { ProgramStatus, ProgramType } from './incentive-program.entity.js';
import { IncentiveProgramsRepository } from './incentive-programs.repository.js';
import { presentAdminProgram } from './incentive.presenter.js';
import { budgetAccount, PLATFORM_OWNER } from './program-budget.js';

/** Allowed status changes; `ended` is final. */
const TRANSITIONS: Record<ProgramStatus, ProgramStatus[]> = {
  draft: ['active', 'ended'],
  active: ['paused', 'ended'],
  paused: ['active', 'ended'],
  ended: [],
};

type TermsKey = ProgramType;

/** Operator administration of programs: terms, eligibility rules, window and status. */
@Injectable()
export class IncentiveProgramsService {
  constructor(
    private readonly programs: IncentiveProgramsRepository,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
  ) {}

  async create(request: CreateProgramRequest): Promise<AdminProgramView> {
    assertOnlyTermsOf(request.type, request);
    const now = this.clock.now();
    // Whole seconds, as the API reports it: a usage timestamped in the second of creation is inside the window.
    const startsAt = fromSeconds(request.starts_at ?? Math.floor(now.getTime() / 1000));
    const endsAt = request.ends_at === undefined || request.ends_at === null ? null : fromSeconds(request.ends_at);
    assertWindow(startsAt, endsAt);
    const program = Object.assign(new IncentiveProgram(), {
      id: newId('prog'),
      name: request.name,
      description: request.description ?? null,
      type: request.type,
      currency: request.currency,
      status: request.status ?? 'draft',
      startsAt,
      endsAt,
      autoEnroll: request.auto_enroll ?? false,
      requiredCapabilities: [],
      maxAccountAgeDays: null,
      countries: [],
      subsidyBps: null,
      monthlyCapPerAccount: null,
      eligibleProducts: [],
      eligibleVendors: [],
      feeRateBps: null,
      durationDays: null,
      creditAmount: null,
      budgetLedgerAccountId: '',
      funded: 0n,
      withdrawn: 0n,
      spent: 0n,
      lowNotified: false,
      exhaustedNotified: false,
      metadata: request.metadata ?? {},
      createdAt: now,
      updatedAt: now,
    } satisfies IncentiveProgram);
    applyEligibility(program, request.eligibility);
    applyTerms(program, request);
    return this.transactions.run(async (manager) => {
      // Opened with the program and an explicit floor of 0: the budget can never go below zero.
      program.budgetLedgerAccountId = await this.ledger.openAccount(budgetAccount(program), manager, { floor: 0n });
      await this.programs.insert(manager, program);
      const view = presentAdminProgram(program);
      await this.events.record(manager, { accountId: PLATFORM_OWNER, type: 'incentive_program.created', object: view });
      return view;
    });
  }

  async update(id: string, request: UpdateProgramRequest): Promise<AdminProgramView> {
    return this.transactions.run(async (manager) => {
      const program = await this.programs.lock(manager, id);
      if (!program) throw ApiError.notFound('incentive_program', id);
      const touchesTerms = PROGRAM_TYPES.some((type) => request[type] !== undefined);
      if (program.status === 'ended') {
        const allowed = ['name', 'description', 'metadata'];
        const changed = Object.keys(request).filter((key) => request[key as keyof UpdateProgramRequest] !== undefined);
        const refused = changed.find((key) => !allowed.includes(key));
        if (refused) {
          throw ApiError.conflict(
            'program_ended',
            'The program has ended; only its name, description and metadata can change.',
            refused,
          );
        }
      }
      if (touchesTerms) assertOnlyTermsOf(program.type, request);
      if (request.status !== undefined && request.status !== program.status) {
        if (!TRANSITIONS[program.status].includes(request.status)) {
          throw ApiError.conflict(
            'invalid_status_transition',
            `A ${program.status} program cannot become ${request.status}.`,
            'status',
          );
        }
        program.status = request.status;
      }
      if (request.name !== undefined) program.name = request.name;
      if (request.description !== undefined) program.description = request.description;
      if (request.metadata !== undefined) program.metadata = request.metadata;
      if (request.auto_enroll !== undefined) program.autoEnroll = request.auto_enroll;
      if (request.starts_at !== undefined) program.startsAt = fromSeconds(request.starts_at);
      if (request.ends_at !== undefined)
        program.endsAt = request.ends_at === null ? null : fromSeconds(request.ends_at);
      assertWindow(program.startsAt, program.endsAt);
      applyEligibility(program, request.eligibility);
      if (touchesTerms) applyTerms(program, request);
      await this.programs.save(manager, program);
      const view = presentAdminProgram(program);
      await this.events.record(manager, { accountId: PLATFORM_OWNER, type: 'incentive_program.updated', object: view });
      return view;
    });
  }

  async get(id: string): Promise<AdminProgramView> {
    const program = await this.programs.find(id);
    if (!program) throw ApiError.notFound('incentive_program', id);
    return presentAdminProgram(program);
  }

  async list(query: ProgramListQuery): Promise<ListPage<AdminProgramView>> {
    const limit = query.limit ?? 10;
    const rows = await this.programs.list(limit, { status: query.status, type: query.type }, query.starting_after);
    return toPage(rows, limit, presentAdminProgram);
  }
}

function fromSeconds(seconds: number): Date {
  return new Date(seconds * 1000);
}

function assertWindow(startsAt: Date, endsAt: Date | null): void {
  if (endsAt !== null && endsAt.getTime() <= startsAt.getTime()) {
    throw ApiError.badRequest('parameter_invalid', 'ends_at must be after starts_at.', 'ends_at');
  }
}

/** Terms belong to exactly the program's type: a fee_discount program with token_subsidy terms is a mistake. */
function assertOnlyTermsOf(type: ProgramType, request: Partial<Record<TermsKey, unknown>>): void {
  for (const other of PROGRAM_TYPES) {
    if (other !== type && request[other] !== undefined) {
      throw ApiError.badRequest('parameter_invalid', `${other} terms do not apply to a ${type} program.`, other);
    }
  }
}

function applyEligibility(program: IncentiveProgram, rules: EligibilityRules | undefined): void {
  if (!rules) return;
  if (rules.capabilities !== undefined) program.requiredCapabilities = rules.capabilities;
  if (rules.countries !== undefined) program.countries = rules.countries;
  if (rules.max_account_age_days !== undefined) program.maxAccountAgeDays = rules.max_account_age_days;
}

/** Applies the terms of the program's type; on creation they are required. */
function applyTerms(
  program: IncentiveProgram,
  request: { token_subsidy?: TokenSubsidyTerms; fee_discount?: FeeDiscountTerms; signup_credit?: SignupCreditTerms },
): void {
  const terms = request[program.type];
  const creating = program.subsidyBps === null && program.feeRateBps === null && program.creditAmount === null;
  if (!terms) {
    if (creating) {
      throw ApiError.badRequest(
        'parameter_missing',
        `A ${program.type} program needs its ${program.type} terms.`,
        program.type,
      );
    }
    return;
  }
  switch (program.type) {
    case 'token_subsidy': {
      const subsidy = terms as TokenSubsidyTerms;
      const bps = percentToBps(subsidy.percent);
      if (bps === null) {
        throw ApiError.badRequest(
          'parameter_invalid',
          'percent must be a decimal string greater than 0 and at most 100, with at most two decimals, such as "50".',
          'token_subsidy.percent',
        );
      }
      program.subsidyBps = bps;
      if (subsidy.monthly_cap_per_account !== undefined) {
        program.monthlyCapPerAccount =
          subsidy.monthly_cap_per_account === null
            ? null
            : parseMoneyParam(subsidy.monthly_cap_per_account, 'token_subsidy.monthly_cap_per_account');
      }
      if (subsidy.eligible_products !== undefined) program.eligibleProducts = subsidy.eligible_products;
      if (subsidy.eligible_vendors !== undefined) program.eligibleVendors = subsidy.eligible_vendors;
      return;
    }
    case 'fee_discount': {
      const discount = terms as FeeDiscountTerms;
      program.feeRateBps = discount.fee_rate_bps;
      program.durationDays = discount.duration_days;
      return;
    }
    case 'signup_credit': {
      const credit = terms as SignupCreditTerms;
      program.creditAmount = parseMoneyParam(credit.credit_amount, 'signup_credit.credit_amount');
      return;
    }
  }
}
