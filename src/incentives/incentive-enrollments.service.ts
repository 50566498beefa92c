import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service.js';
import { Clock } from '../common/clock/clock.js';
import { ApiError } from '../common/errors/api-error.js';
import { newId } from '../common/ids.js';
import { ListPage, toPage } from '../common/pagination/pagination.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { EventRecorder } from '../webhooks/event-recorder.js';
import type { EventInput } from '../webhooks/event-recorder.js';
import type { EnrollmentListQuery, EnrollmentView } from './dto/enrollment.dto.js';
import { INELIGIBILITY_MESSAGES, ineligibilityReasons } from './eligibility.js';
import { IncentiveEnrollment } from './incentive-enrollment.entity.js';
import type { EnrollmentMethod } from './incentive-enrollment.entity.js';
import { IncentiveEnrollmentsRepository } from './incentive-enrollments.repository.js';
import type { IncentiveProgram } from './incentive-program.entity.js';
import { isOpen } from './incentive-program.entity.js';
import { IncentiveProgramsRepository } from './incentive-programs.repository.js';
import { presentEnrollment } from './incentive.presenter.js';
import { PLATFORM_OWNER } from './program-budget.js';
import { GrantSignupCreditService } from './use-cases/grant-signup-credit/grant-signup-credit.service.js';

const DAY_MS = 86_400_000;

/**
 * Enrollment: by application (the developer applies, the operator approves or rejects) or automatic for
 * auto_enroll programs (an application is approved at once, and an eligible account is enrolled the first time
 * a charge asks for its incentives).
 */
@Injectable()
export class IncentiveEnrollmentsService {
  constructor(
    private readonly programs: IncentiveProgramsRepository,
    private readonly enrollments: IncentiveEnrollmentsRepository,
    private readonly accounts: AccountsService,
    private readonly signupCredits: GrantSignupCreditService,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
    private readonly clock: Clock,
  ) {}

  async apply(accountId: string, programId: string, note: string | undefined): Promise<EnrollmentView> {
    const program = await this.programs.find(programId);
    if (!program || program.status === 'draft') throw ApiError.notFound('incentive_program', programId);
    const account = await this.accounts.requireAccount(accountId);
    const now = this.clock.now();
    if (await this.enrollments.findForAccount(programId, accountId)) throw alreadyEnrolled();
    const reasons = ineligibilityReasons(program, account, now);
    if (reasons.length > 0) {
      throw ApiError.badRequest(
        'not_eligible',
        `The account does not qualify for this program: ${reasons.map((r) => INELIGIBILITY_MESSAGES[r]).join(' ')}`,
      );
    }
    return this.transactions.run(async (manager) => {
      const enrollment = newEnrollment(program, accountId, now, program.autoEnroll ? 'automatic' : 'application', note);
      if (!(await this.enrollments.insertIfAbsent(manager, enrollment))) throw alreadyEnrolled();
      const view = await this.afterEnrollment(manager, program, enrollment);
      return view;
    });
  }

  async approve(programId: string, enrollmentId: string): Promise<EnrollmentView> {
    return this.transactions.run(async (manager) => {
      const enrollment = await this.lockPending(manager, programId, enrollmentId);
      const program = (await this.programs.find(programId, manager))!;
      const now = this.clock.now();
      if (!isOpen(program, now)) {
        throw ApiError.conflict(
          'program_not_open',
          'Only an open program (active, inside its dates) can approve enrollments.',
        );
      }
      approveEnrollment(program, enrollment, now);
      await this.enrollments.save(manager, enrollment);
      return this.afterEnrollment(manager, program, enrollment);
    });
  }

  async reject(programId: string, enrollmentId: string, reason: string | undefined): Promise<EnrollmentView> {
    return this.transactions.run(async (manager) => {
      const enrollment = await this.lockPending(manager, programId, enrollmentId);
      enrollment.status = 'rejected';
      enrollment.rejectedAt = this.clock.now();
      enrollment.rejectionReason = reason ?? null;
      await this.enrollments.save(manager, enrollment);
      const view = presentEnrollment(enrollment);
      await this.events.recordMany(manager, enrollmentEvents('incentive_enrollment.rejected', view));
      return view;
    });
  }

  async listForProgram(programId: string, query: EnrollmentListQuery): Promise<ListPage<EnrollmentView>> {
    if (!(await this.programs.find(programId))) throw ApiError.notFound('incentive_program', programId);
    const limit = query.limit ?? 10;
    const rows = await this.enrollments.listForProgram(programId, limit, query.status, query.starting_after);
    return toPage(rows, limit, presentEnrollment);
  }

  async listForAccount(accountId: string, query: EnrollmentListQuery): Promise<ListPage<EnrollmentView>> {
    const limit = query.limit ?? 10;
    const rows = await this.enrollments.listForAccount(accountId, limit, query.status, query.starting_after);
    return toPage(rows, limit, presentEnrollment);
  }

  async getForAccount(accountId: string, id: string): Promise<EnrollmentView> {
    const enrollment = await this.enrollments.findByIdForAccount(accountId, id);
    if (!enrollment) throw ApiError.notFound('incentive_enrollment', id);
    return presentEnrollment(enrollment);
  }

  /**
   * Which of these (program, account) pairs hold an approved, unexpired enrollment at `at`, as keys
   * `${programId}|${accountId}`. Eligible accounts of auto_enroll programs are enrolled on the way, inside the
   * caller's transaction; callers pass only the programs that would pay for their charges, so an account is never
   * enrolled into a program by a charge it does not cover.
   */
  async activeEnrollments(
    manager: EntityManager,
    pairs: Array<{ program: IncentiveProgram; accountId: string }>,
    at: Date,
  ): Promise<Set<string>> {
    const keyOf = (programId: string, accountId: string) => `${programId}|${accountId}`;
    const wanted = new Map(pairs.map((pair) => [keyOf(pair.program.id, pair.accountId), pair]));
    const found = await this.enrollments.findForAccounts(
      [...new Set(pairs.map((pair) => pair.accountId))],
      [...new Set(pairs.map((pair) => pair.program.id))],
      manager,
    );
    const byKey = new Map(
      found.map((e) => [keyOf(e.programId, e.accountId), e] as const).filter(([key]) => wanted.has(key)),
    );
    // Inserted in one global order (program, account): concurrent batches enrolling the same accounts would
    // otherwise wait on each other's unique-index entries in opposite orders and deadlock.
    const missing = [...wanted.values()]
      .filter(
        ({ program, accountId }) =>
          program.autoEnroll && program.type !== 'signup_credit' && !byKey.has(keyOf(program.id, accountId)),
      )
      .sort((a, b) => compareKeys(a.program.id, b.program.id) || compareKeys(a.accountId, b.accountId));
    if (missing.length > 0) {
      const facts = await this.enrollments.accountFacts([...new Set(missing.map((m) => m.accountId))], manager);
      for (const { program, accountId } of missing) {
        const account = facts.get(accountId);
        if (!account || ineligibilityReasons(program, account, at).length > 0) continue;
        const enrollment = newEnrollment(program, accountId, at, 'automatic', undefined);
        if (await this.enrollments.insertIfAbsent(manager, enrollment)) {
          await this.events.recordMany(
            manager,
            enrollmentEvents('incentive_enrollment.approved', presentEnrollment(enrollment)),
          );
          byKey.set(keyOf(program.id, accountId), enrollment);
        } else {
          const raced = await this.enrollments.findForAccount(program.id, accountId, manager);
          if (raced) byKey.set(keyOf(program.id, accountId), raced);
        }
      }
    }
    const active = new Set<string>();
    for (const [key, enrollment] of byKey) {
      if (enrollment.status !== 'approved') continue;
      if (enrollment.benefitEndsAt !== null && at.getTime() >= enrollment.benefitEndsAt.getTime()) continue;
      active.add(key);
    }
    return active;
  }

  private async lockPending(manager: EntityManager, programId: string, enrollmentId: string) {
    const enrollment = await this.enrollments.lock(manager, programId, enrollmentId);
    if (!enrollment) throw ApiError.notFound('incentive_enrollment', enrollmentId);
    if (enrollment.status !== 'pending') {
      throw ApiError.conflict('enrollment_not_pending', `The enrollment is already ${enrollment.status}.`);
    }
    return enrollment;
  }

  /** Events, and the sign-up credit of an approved enrollment, in the enrollment's transaction. */
  private async afterEnrollment(
    manager: EntityManager,
    program: IncentiveProgram,
    enrollment: IncentiveEnrollment,
  ): Promise<EnrollmentView> {
    const view = presentEnrollment(enrollment);
    const type = enrollment.status === 'approved' ? 'incentive_enrollment.approved' : 'incentive_enrollment.created';
    await this.events.recordMany(manager, enrollmentEvents(type, view));
    if (enrollment.status === 'approved' && program.type === 'signup_credit') {
      await this.signupCredits.grant(manager, program, enrollment);
    }
    return view;
  }
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function alreadyEnrolled(): ApiError {
  return ApiError.conflict(
    'already_enrolled',
    'The account already has an enrollment in this program (one per account, whatever its outcome).',
  );
}

function newEnrollment(
  program: IncentiveProgram,
  accountId: string,
  now: Date,
  method: EnrollmentMethod,
  note: string | undefined,
): IncentiveEnrollment {
  const enrollment = Object.assign(new IncentiveEnrollment(), {
    id: newId('enrl'),
    programId: program.id,
    accountId,
    status: 'pending',
    method,
    note: note ?? null,
    rejectionReason: null,
    approvedAt: null,
    rejectedAt: null,
    benefitEndsAt: null,
    createdAt: now,
    updatedAt: now,
  } satisfies IncentiveEnrollment);
  if (method === 'automatic') approveEnrollment(program, enrollment, now);
  return enrollment;
}

function approveEnrollment(program: IncentiveProgram, enrollment: IncentiveEnrollment, now: Date): void {
  enrollment.status = 'approved';
  enrollment.approvedAt = now;
  enrollment.benefitEndsAt =
    program.type === 'fee_discount' && program.durationDays !== null
      ? new Date(now.getTime() + program.durationDays * DAY_MS)
      : null;
}

/** The developer hears about its enrollment; the operator hears about every application and decision. */
function enrollmentEvents(type: string, view: EnrollmentView): EventInput[] {
  return [
    { accountId: view.account, type, object: view },
    { accountId: PLATFORM_OWNER, type, object: view },
  ];
}
