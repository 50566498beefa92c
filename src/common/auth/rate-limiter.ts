import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.tokens.js';
import { ApiError } from '../errors/api-error.js';
import { REDIS } from '../redis/redis.module.js';

/** What a process holds of one key's budget for one second. */
interface Allowance {
  second: number;
  left: number;
  /** Redis said the second's budget is used up. */
  exhausted: boolean;
  /** The reservation in flight: concurrent requests wait for it instead of each reserving a chunk. */
  reserving: Promise<void> | null;
}

/** At most this share of a key's per-second budget is reserved by one process at a time. */
const CHUNK_SHARE = 10;
const MAX_CHUNK = 100;

/**
 * Fixed one-second windows per API key, counted in Redis so every API replica shares the budget. Over the
 * limit answers 429 with Retry-After.
 *
 * A process does not ask Redis on every request: it reserves a chunk of the second's budget (a tenth of the
 * limit, at most 100) with one INCRBY and serves requests from it until it is used up. Redis therefore never
 * grants more than the limit in a second, across all replicas; a replica may refuse a little early when other
 * replicas hold unused parts of their chunks. With a limit of 10 or less the chunk is 1: every request asks.
 * Within a process, one reservation per key is in flight at a time: requests that arrive meanwhile wait for it
 * rather than each reserving a chunk, which would use up the second's budget after ten concurrent requests.
 */
@Injectable()
export class RateLimiter {
  private readonly allowances = new Map<string, Allowance>();
  private readonly chunk: number;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.chunk = Math.max(1, Math.min(MAX_CHUNK, Math.floor(config.rateLimitPerSecond / CHUNK_SHARE)));
  }

  async consume(subject: string): Promise<void> {
    const second = Math.floor(Date.now() / 1000);
    let allowance = this.allowances.get(subject);
    if (!allowance || allowance.second !== second) {
      if (this.allowances.size >= 10_000) this.forgetBefore(second);
      allowance = { second, left: 0, exhausted: false, reserving: null };
      this.allowances.set(subject, allowance);
    }
    const held = allowance;
    while (held.left === 0 && !held.exhausted) {
      held.reserving ??= this.reserve(subject, second)
        .then((granted) => {
          held.left += granted;
          if (granted === 0) held.exhausted = true;
        })
        .finally(() => {
          held.reserving = null;
        });
      await held.reserving;
    }
    if (held.left > 0) {
      held.left--;
      return;
    }
    throw new ApiError(
      429,
      'rate_limit_error',
      'rate_limited',
      `Too many requests for this API key: the limit is ${this.config.rateLimitPerSecond} per second.`,
      undefined,
      { 'Retry-After': '1' },
    );
  }

  /** Takes up to one chunk of the key's budget for `second` from Redis; returns how much was granted. */
  private async reserve(subject: string, second: number): Promise<number> {
    const key = `ratelimit:${subject}:${second}`;
    const [[, total]] = (await this.redis.multi().incrby(key, this.chunk).expire(key, 2).exec()) as [
      [Error | null, number],
    ];
    const before = total - this.chunk;
    return Math.max(0, Math.min(this.chunk, this.config.rateLimitPerSecond - before));
  }

  private forgetBefore(second: number): void {
    for (const [subject, allowance] of this.allowances) {
      if (allowance.second < second) this.allowances.delete(subject);
    }
  }
}
