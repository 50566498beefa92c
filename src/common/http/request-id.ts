import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const REQUEST_ID = Symbol('requestId');
type WithRequestId = Request & { [REQUEST_ID]?: string };

export function requestIdOf(request: Request): string {
  return (request as WithRequestId)[REQUEST_ID] ?? 'req_unknown';
}

/** Gives every request an id (kept from a sane incoming X-Request-Id) and echoes it on the response. */
export function requestIdMiddleware(request: Request, response: Response, next: NextFunction): void {
  const incoming = request.header('x-request-id');
  const id = incoming && /^[A-Za-z0-9_.:-]{1,128}$/.test(incoming) ? incoming : `req_${randomUUID().replace(/-/g, '')}`;
  (request as WithRequestId)[REQUEST_ID] = id;
  response.setHeader('X-Request-Id', id);
  next();
}
