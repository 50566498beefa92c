import { Logger, ValidationError, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { NextFunction, Request, Response } from 'express';
import type { AppConfig } from '../../config/app-config.js';
import { httpRequestDuration } from '../../health/http-metrics.js';
import { ApiError } from '../errors/api-error.js';
import { requestIdMiddleware, requestIdOf } from './request-id.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function firstViolation(errors: ValidationError[], parent = ''): { param: string; message: string } {
  const error = errors[0];
  const param = parent ? `${parent}.${error.property}` : error.property;
  if (error.constraints) {
    if (error.constraints.whitelistValidation) {
      return { param, message: `Received unknown parameter: ${param}.` };
    }
    return { param, message: `${Object.values(error.constraints)[0]}.`.replace(error.property, param) };
  }
  if (error.children?.length) return firstViolation(error.children, param);
  return { param, message: `${param} is invalid.` };
}

/** Express-level setup shared by `npm start` and the tests: body parsing, content types, validation, logs. */
export function configureHttpApp(app: NestExpressApplication, config: AppConfig): void {
  const logger = new Logger('HTTP');
  app.disable('x-powered-by');
  // API answers are not cached by clients: no hash of every response body for an ETag.
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.use(requestIdMiddleware);
  app.use((request: Request, response: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      httpRequestDuration.observe({ method: request.method, route, status: String(response.statusCode) }, seconds);
      logger.log({
        msg: 'request completed',
        request_id: requestIdOf(request),
        method: request.method,
        path: request.path,
        status: response.statusCode,
        duration_ms: Math.round(seconds * 1e6) / 1e3,
      });
    });
    next();
  });
  // Inbound provider webhooks are verified against the exact bytes received.
  app.use('/v1/webhooks', express.raw({ type: '*/*', limit: config.bodyLimit }));
  app.use((request: Request, _response: Response, next: NextFunction) => {
    const hasBody =
      Number(request.header('content-length') ?? 0) > 0 || request.header('transfer-encoding') !== undefined;
    if (
      BODY_METHODS.has(request.method) &&
      hasBody &&
      !request.path.startsWith('/v1/webhooks/') &&
      !request.is('application/json')
    ) {
      next(new ApiError(415, 'invalid_request_error', 'unsupported_media_type', 'Send the body as application/json.'));
      return;
    }
    next();
  });
  app.use(express.json({ limit: config.bodyLimit, strict: true }));
  app.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    const bodyError = error as { type?: string };
    const apiError =
      error instanceof ApiError
        ? error
        : bodyError.type === 'entity.parse.failed'
          ? ApiError.badRequest('invalid_json', 'The request body is not valid JSON.')
          : bodyError.type === 'entity.too.large'
            ? new ApiError(
                413,
                'invalid_request_error',
                'request_too_large',
                `The request body is over ${config.bodyLimit}.`,
              )
            : null;
    if (!apiError) return next(error);
    response.status(apiError.status).json({
      error: { type: apiError.type, code: apiError.code, message: apiError.message, request_id: requestIdOf(request) },
    });
  });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      forbidUnknownValues: true,
      exceptionFactory: (errors) => {
        const { param, message } = firstViolation(errors);
        return ApiError.badRequest(
          message.startsWith('Received unknown parameter') ? 'unknown_parameter' : 'parameter_invalid',
          message,
          param,
        );
      },
    }),
  );
}
