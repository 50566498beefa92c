import { Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { EventRecorder } from '../webhooks/event-recorder.js';
import { AuthGuard } from './auth/auth.guard.js';
import { Clock } from './clock/clock.js';
import { CredentialRepository } from './auth/credential.repository.js';
import { RateLimiter } from './auth/rate-limiter.js';
import { ApiExceptionFilter } from './errors/api-exception.filter.js';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor.js';
import { IdempotencyRepository } from './idempotency/idempotency.repository.js';
import { RedisModule } from './redis/redis.module.js';

/** Cross-cutting request handling: authentication, rate limits, idempotency, the error filter, the event outbox. */
@Global()
@Module({
  imports: [RedisModule],
  providers: [
    CredentialRepository,
    RateLimiter,
    IdempotencyRepository,
    EventRecorder,
    Clock,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
  ],
  exports: [EventRecorder, IdempotencyRepository, Clock, CredentialRepository],
})
export class CommonModule {}
