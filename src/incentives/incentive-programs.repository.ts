import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, In, LessThan, Repository } from 'typeorm';
import { BudgetMovement } from './budget-movement.entity.js';
import { IncentiveProgram } from './incentive-program.entity.js';
import type { ProgramStatus, ProgramType } from './incentive-program.entity.js';

/** How long "no active program of this type and currency" is believed without asking again. */
const NONE_ACTIVE_TTL_MS = 1000;

@Injectable()
export class IncentiveProgramsRepository {
  /**
   * Type/currency pairs known to have no active program, until the given time. Every charge asks for its
   * programs, and most platforms run none for most currencies: this spares those charges a query. Any program
   * write in this process forgets it (a program created elsewhere is seen within NONE_ACTIVE_TTL_MS).
   */
  private readonly noneActive = new Map<string, number>();
  private generation = 0;

  constructor(@InjectRepository(IncentiveProgram) private readonly programs: Repository<IncentiveProgram>) {}

  async insert(manager: EntityManager, program: IncentiveProgram): Promise<void> {
    this.forgetNoneActive();
    await manager.insert(IncentiveProgram, program);
  }

  find(id: string, manager?: EntityManager): Promise<IncentiveProgram | null> {
    return (manager ?? this.programs.manager).findOneBy(IncentiveProgram, { id });
  }

  /** Locks the program row: the budget counters change only under this lock. */
  lock(manager: EntityManager, id: string): Promise<IncentiveProgram | null> {
    return manager.findOne(IncentiveProgram, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Locks several programs in ascending id order, the one order every transaction uses (no deadlocks). */
  async lockMany(manager: EntityManager, ids: string[]): Promise<Map<string, IncentiveProgram>> {
    const sorted = [...new Set(ids)].sort();
    const locked = new Map<string, IncentiveProgram>();
    if (sorted.length === 0) return locked;
    const rows = await manager.find(IncentiveProgram, {
      where: { id: In(sorted) },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    for (const row of rows) locked.set(row.id, row);
    return locked;
  }

  async save(manager: EntityManager, program: IncentiveProgram): Promise<void> {
    this.forgetNoneActive();
    program.updatedAt = new Date();
    await manager.save(IncentiveProgram, program);
  }

  /** Writes the counters and notification flags of a locked program. */
  async saveBudget(manager: EntityManager, program: IncentiveProgram): Promise<void> {
    await manager.query(
      `UPDATE incentive_programs
          SET funded = $2, withdrawn = $3, spent = $4, low_notified = $5, exhausted_notified = $6, updated_at = now()
        WHERE id = $1`,
      [
        program.id,
        program.funded.toString(),
        program.withdrawn.toString(),
        program.spent.toString(),
        program.lowNotified,
        program.exhaustedNotified,
      ],
    );
  }

  list(
    limit: number,
    filter: { status?: ProgramStatus; type?: ProgramType },
    startingAfter?: string,
  ): Promise<IncentiveProgram[]> {
    const where: FindOptionsWhere<IncentiveProgram> = {};
    if (filter.status) where.status = filter.status;
    if (filter.type) where.type = filter.type;
    if (startingAfter) where.id = LessThan(startingAfter);
    return this.programs.find({ where, order: { id: 'DESC' }, take: limit + 1 });
  }

  /** Active programs (whose window may still need checking), newest first. */
  async listActive(
    filter: { type?: ProgramType; currency?: string } = {},
    manager?: EntityManager,
  ): Promise<IncentiveProgram[]> {
    const cacheKey = `${filter.type ?? '*'}/${filter.currency ?? '*'}`;
    const noneUntil = this.noneActive.get(cacheKey);
    if (noneUntil !== undefined && noneUntil > Date.now()) return [];
    const where: FindOptionsWhere<IncentiveProgram> = { status: 'active' };
    if (filter.type) where.type = filter.type;
    if (filter.currency) where.currency = filter.currency;
    const asked = Date.now();
    const generation = this.generation;
    const programs = await (manager ?? this.programs.manager).find(IncentiveProgram, { where, order: { id: 'DESC' } });
    if (programs.length > 0) this.noneActive.delete(cacheKey);
    else if (generation === this.generation) this.noneActive.set(cacheKey, asked + NONE_ACTIVE_TTL_MS);
    return programs;
  }

  private forgetNoneActive(): void {
    this.generation++;
    this.noneActive.clear();
  }

  async insertMovement(manager: EntityManager, movement: BudgetMovement): Promise<void> {
    await manager.insert(BudgetMovement, movement);
  }
}
