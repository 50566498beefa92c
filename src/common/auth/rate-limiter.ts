import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.tokens.js';
import { ApiError } from '../errors/api-error.js';
import { REDIS } from '../redis/redis.module.js';

/**
 * Fixed one-second windows per API key, counted in Redis so every API replica shares the budget.
 * Over the limit answers 429 with Retry-After.
 */
@Injectable()
export class RateLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async consume(subject: string): Promise<void> {
    const second = Math.floor(Date.now() / 1000);
    const key = `ratelimit:${subject}:${second}`;
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, 2).exec()) as [[Error | null, number]];
    if (count > this.config.rateLimitPerSecond) {
      throw new ApiError(
        429,
        'rate_limit_error',
        'rate_limited',
        `Too many requests for this API key: the limit is ${this.config.rateLimitPerSecond} per second.`,
        undefined,
        { 'Retry-After': '1' },
      );
    }
  }
}
