import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { Observable, catchError, from, mergeMap } from 'rxjs';
import { principalOf } from '../auth/principal.js';
import { ApiError } from '../errors/api-error.js';
import { requestIdOf } from '../http/request-id.js';
import { IdempotencyRepository } from './idempotency.repository.js';
import { ReplayedResponse } from './replayed-response.js';

const MUTATING = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** JSON with object keys sorted, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Idempotency-Key support for every mutating route: same key + same request replays the first response
 * (header Idempotent-Replayed: true); same key + other request is 422; a key whose first request is still
 * running is 409. Successful responses and payment declines (402) are stored; any other failure releases
 * the key, so a request that failed validation stores nothing and can be retried.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly repository: IdempotencyRepository) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const key = request.header('idempotency-key');
    if (!MUTATING.has(request.method) || key === undefined) return next.handle();
    return from(this.claim(request, key)).pipe(
      mergeMap((owner) =>
        next.handle().pipe(
          mergeMap(async (body) => {
            const response = context.switchToHttp().getResponse<Response>();
            await this.repository.complete(owner, key, response.statusCode, body);
            return body;
          }),
          catchError(async (error: unknown) => {
            if (error instanceof ApiError && error.status === 402) {
              await this.repository.complete(owner, key, 402, {
                error: {
                  type: error.type,
                  code: error.code,
                  message: error.message,
                  ...(error.param ? { param: error.param } : {}),
                  request_id: requestIdOf(request),
                },
              });
            } else {
              await this.repository.release(owner, key);
            }
            throw error;
          }),
        ),
      ),
    );
  }

  private async claim(request: Request, key: string): Promise<string> {
    if (key.length === 0 || key.length > 255) {
      throw ApiError.badRequest(
        'idempotency_key_invalid',
        'The Idempotency-Key header must be 1 to 255 characters long.',
        'Idempotency-Key',
      );
    }
    const principal = principalOf(request);
    const owner =
      principal?.kind === 'account' ? principal.accountId : principal?.kind === 'admin' ? 'admin' : 'public';
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.originalUrl}\n${canonicalJson(request.body ?? null)}`)
      .digest('hex');
    const claim = await this.repository.claim(owner, key, requestHash, request.method, request.originalUrl);
    switch (claim.kind) {
      case 'claimed':
        return owner;
      case 'replay':
        throw new ReplayedResponse(claim.status, claim.body);
      case 'mismatch':
        throw new ApiError(
          422,
          'idempotency_error',
          'idempotency_key_reused',
          'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
          'Idempotency-Key',
        );
      case 'in_progress':
        throw new ApiError(
          409,
          'idempotency_error',
          'idempotency_request_in_progress',
          'A request with this Idempotency-Key is still being processed. Retry after it completes.',
          'Idempotency-Key',
        );
    }
  }
}
