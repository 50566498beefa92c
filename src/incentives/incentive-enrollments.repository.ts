import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, In, LessThan, Repository } from 'typeorm';
import { Account } from '../accounts/account.entity.js';
import type { EligibilityFacts } from './eligibility.js';
import { IncentiveEnrollment } from './incentive-enrollment.entity.js';
import type { EnrollmentStatus } from './incentive-enrollment.entity.js';

@Injectable()
export class IncentiveEnrollmentsRepository {
  constructor(@InjectRepository(IncentiveEnrollment) private readonly enrollments: Repository<IncentiveEnrollment>) {}

  /** Inserts unless the account already has an enrollment in the program; returns whether it was inserted. */
  async insertIfAbsent(manager: EntityManager, enrollment: IncentiveEnrollment): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO incentive_enrollments (id, program_id, account_id, status, method, note, rejection_reason,
         approved_at, rejected_at, benefit_ends_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (program_id, account_id) DO NOTHING
       RETURNING id`,
      [
        enrollment.id,
        enrollment.programId,
        enrollment.accountId,
        enrollment.status,
        enrollment.method,
        enrollment.note,
        enrollment.rejectionReason,
        enrollment.approvedAt,
        enrollment.rejectedAt,
        enrollment.benefitEndsAt,
        enrollment.createdAt,
        enrollment.updatedAt,
      ],
    );
    return rows.length > 0;
  }

  findForAccount(programId: string, accountId: string, manager?: EntityManager): Promise<IncentiveEnrollment | null> {
    return (manager ?? this.enrollments.manager).findOneBy(IncentiveEnrollment, { programId, accountId });
  }

  /**
   * What eligibility rules look at, for many accounts at once, read through the caller's transaction (a charge
   * must not wait for a second pooled connection while it holds one).
   */
  async accountFacts(ids: string[], manager?: EntityManager): Promise<Map<string, EligibilityFacts>> {
    if (ids.length === 0) return new Map();
    const accounts = await (manager ?? this.enrollments.manager).find(Account, {
      where: { id: In(ids) },
      select: { id: true, capabilities: true, country: true, createdAt: true, status: true },
    });
    return new Map(accounts.map((account) => [account.id, account]));
  }

  /** Tenant-scoped: another account's enrollment is not found. */
  findByIdForAccount(accountId: string, id: string): Promise<IncentiveEnrollment | null> {
    return this.enrollments.findOneBy({ accountId, id });
  }

  /** The account's enrollments in the given programs. */
  findManyForAccount(accountId: string, programIds: string[], manager?: EntityManager): Promise<IncentiveEnrollment[]> {
    if (programIds.length === 0) return Promise.resolve([]);
    return (manager ?? this.enrollments.manager).findBy(IncentiveEnrollment, {
      accountId,
      programId: In(programIds),
    });
  }

  /** Enrollments of many accounts in many programs (a usage batch). */
  findForAccounts(accountIds: string[], programIds: string[], manager?: EntityManager): Promise<IncentiveEnrollment[]> {
    if (accountIds.length === 0 || programIds.length === 0) return Promise.resolve([]);
    return (manager ?? this.enrollments.manager).findBy(IncentiveEnrollment, {
      accountId: In(accountIds),
      programId: In(programIds),
    });
  }

  lock(manager: EntityManager, programId: string, id: string): Promise<IncentiveEnrollment | null> {
    return manager.findOne(IncentiveEnrollment, {
      where: { id, programId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  async save(manager: EntityManager, enrollment: IncentiveEnrollment): Promise<void> {
    enrollment.updatedAt = new Date();
    await manager.save(IncentiveEnrollment, enrollment);
  }

  listForProgram(
    programId: string,
    limit: number,
    status?: EnrollmentStatus,
    startingAfter?: string,
  ): Promise<IncentiveEnrollment[]> {
    const where: FindOptionsWhere<IncentiveEnrollment> = { programId };
    if (status) where.status = status;
    if (startingAfter) where.id = LessThan(startingAfter);
    return this.enrollments.find({ where, order: { id: 'DESC' }, take: limit + 1 });
  }

  listForAccount(
    accountId: string,
    limit: number,
    status?: EnrollmentStatus,
    startingAfter?: string,
  ): Promise<IncentiveEnrollment[]> {
    const where: FindOptionsWhere<IncentiveEnrollment> = { accountId };
    if (status) where.status = status;
    if (startingAfter) where.id = LessThan(startingAfter);
    return this.enrollments.find({ where, order: { id: 'DESC' }, take: limit + 1 });
  }
}
