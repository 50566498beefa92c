import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'mismatch' }
  | { kind: 'in_progress' };

/** A claim older than this is treated as abandoned by a crashed process and may be taken over. */
const STALE_CLAIM_SECONDS = 60;

@Injectable()
export class IdempotencyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Claims the key atomically: exactly one of concurrent identical requests gets `claimed`. */
  async claim(owner: string, key: string, requestHash: string, method: string, path: string): Promise<Claim> {
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (owner, key, request_hash, method, path, status)
       VALUES ($1, $2, $3, $4, $5, 'in_progress')
       ON CONFLICT (owner, key) DO NOTHING RETURNING 1`,
      [owner, key, requestHash, method, path],
    );
    if (inserted.length === 1) return { kind: 'claimed' };
    const rows: Array<{ request_hash: string; status: string; response_status: number; response_body: unknown }> =
      await this.dataSource.query(
        `SELECT request_hash, status, response_status, response_body FROM idempotency_keys WHERE owner = $1 AND key = $2`,
        [owner, key],
      );
    const row = rows[0];
    if (!row) return this.claim(owner, key, requestHash, method, path);
    if (row.request_hash !== requestHash) return { kind: 'mismatch' };
    if (row.status === 'completed') return { kind: 'replay', status: row.response_status, body: row.response_body };
    const takenOver: unknown[] = await this.dataSource.query(
      `UPDATE idempotency_keys SET locked_at = now()
        WHERE owner = $1 AND key = $2 AND status = 'in_progress'
          AND locked_at < now() - make_interval(secs => $3) RETURNING 1`,
      [owner, key, STALE_CLAIM_SECONDS],
    );
    return takenOver.length === 1 ? { kind: 'claimed' } : { kind: 'in_progress' };
  }

  async complete(owner: string, key: string, status: number, body: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET status = 'completed', response_status = $3, response_body = $4
        WHERE owner = $1 AND key = $2`,
      [owner, key, status, JSON.stringify(body ?? null)],
    );
  }

  async release(owner: string, key: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE owner = $1 AND key = $2 AND status = 'in_progress'`,
      [owner, key],
    );
  }

  async deleteOlderThan(hours: number): Promise<number> {
    const result: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`,
      [hours],
    );
    return result[1];
  }
}
