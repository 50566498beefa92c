import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { MoneyError } from '../../../libs/money/src/index.js';
import { ApiError } from './api-error.js';
import { requestIdOf } from '../http/request-id.js';
import { ReplayedResponse } from '../idempotency/replayed-response.js';

interface HttpErrorBody {
  type?: string;
  code?: string;
  message?: string | string[];
  param?: string;
}

/** Maps every thrown error to the one error body. A 500 carries the request id and never a stack trace. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ApiExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<Request>();
    const response = ctx.getResponse<Response>();
    if (exception instanceof ReplayedResponse) {
      response.setHeader('Idempotent-Replayed', 'true');
      response.status(exception.status).json(exception.body);
      return;
    }
    const error = this.toApiError(exception);
    if (error.status >= 500) {
      this.logger.error(
        `Request ${requestIdOf(request)} failed: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`,
      );
    }
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(error.headers ?? {})) response.setHeader(name, value);
    response.status(error.status).json({
      error: {
        type: error.type,
        code: error.code,
        message: error.message,
        ...(error.param ? { param: error.param } : {}),
        request_id: requestIdOf(request),
      },
    });
  }

  private toApiError(exception: unknown): ApiError {
    if (exception instanceof ApiError) return exception;
    if (exception instanceof MoneyError) return ApiError.badRequest(exception.code, exception.message);
    if (exception instanceof HttpException) return this.fromHttpException(exception);
    const bodyParserType = (exception as { type?: string } | null)?.type;
    if (bodyParserType === 'entity.parse.failed') {
      return ApiError.badRequest('invalid_json', 'The request body is not valid JSON.');
    }
    if (bodyParserType === 'entity.too.large') {
      return new ApiError(413, 'invalid_request_error', 'request_too_large', 'The request body is too large.');
    }
    return new ApiError(
      500,
      'api_error',
      'internal_error',
      'An internal error occurred. Retry later or quote the request id.',
    );
  }

  private fromHttpException(exception: HttpException): ApiError {
    const status = exception.getStatus();
    const body = exception.getResponse() as HttpErrorBody | string;
    const message =
      typeof body === 'string' ? body : Array.isArray(body.message) ? body.message.join('; ') : body.message;
    const code =
      typeof body === 'object' && body.code
        ? body.code
        : status === 404
          ? 'route_not_found'
          : status === 413
            ? 'request_too_large'
            : status === 415
              ? 'unsupported_media_type'
              : 'invalid_request';
    const type =
      status === 401 ? 'authentication_error' : status === 403 ? 'permission_error' : 'invalid_request_error';
    return new ApiError(
      status,
      status >= 500 ? 'api_error' : type,
      code,
      status >= 500 ? 'An internal error occurred.' : (message ?? exception.message),
      typeof body === 'object' ? body.param : undefined,
    );
  }
}
