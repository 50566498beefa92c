import { Injectable } from '@nestjs/common';
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
        // PostgreSQL's default isolation (READ COMMITTED); naming it would cost a round trip per transaction.
        return await this.dataSource.transaction(work);
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

  /** Joins the caller's transaction when one is given, otherwise opens a new one. */
  async within<T>(manager: EntityManager | undefined, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return manager ? work(manager) : this.run(work);
  }
}
