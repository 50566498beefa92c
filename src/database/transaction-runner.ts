import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

/** Thrown by work that found stale state of its own (not the database's) and can simply run again. */
export class RetryableTransactionError extends Error {}

/**
 * Runs a unit of work in one database transaction. Work that is refused with a serialization failure or a
 * deadlock is retried from the start a few times, which is safe because nothing is committed on failure.
 * Side effects (HTTP calls, queue jobs) must never happen inside `work`: write an outbox row instead.
 */
@Injectable()
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (manager: EntityManager) => Promise<T>, attempts = 5): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(work);
      } catch (error) {
        const code =
          (error as { code?: string; driverError?: { code?: string } }).driverError?.code ??
          (error as { code?: string }).code;
        const retryable = error instanceof RetryableTransactionError || (code !== undefined && RETRYABLE.has(code));
        if (attempt >= attempts || !retryable) throw error;
        await new Promise((resolve) => setTimeout(resolve, attempt * 5 + Math.floor(Math.random() * 10)));
      }
    }
  }

  /**
   * One attempt: what TypeORM's DataSource.transaction() does, less a round trip. START TRANSACTION is sent
   * without waiting for its answer: node-postgres writes a connection's queries in the order they are made, so it
   * reaches PostgreSQL ahead of the work's first statement, which goes out at once instead of a round trip later
   * (on a busy process, a round trip is a turn of the event loop). Its answer is checked before the commit. The
   * isolation is PostgreSQL's default, READ COMMITTED; naming it would cost a statement.
   */
  private async once<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const connection = (await runner.connect()) as PoolClient;
      const begun = connection.query('START TRANSACTION').then(
        () => null,
        (error: unknown) => error,
      );
      // The state TypeORM's startTransaction() leaves, so that its commit, rollback and savepoints apply.
      Object.assign(runner, { isTransactionActive: true, transactionDepth: 1 });
      try {
        const result = await work(runner.manager);
        const notBegun = await begun;
        if (notBegun) throw notBegun;
        await runner.commitTransaction();
        return result;
      } catch (error) {
        await begun;
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    } finally {
      await runner.release();
    }
  }

  /** Joins the caller's transaction when one is given, otherwise opens a new one. */
  async within<T>(manager: EntityManager | undefined, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return manager ? work(manager) : this.run(work);
  }
}
