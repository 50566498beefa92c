import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

export class ErrorDetail {
  @ApiProperty({ example: 'parameter_invalid' }) code!: string;
  @ApiProperty({ example: 'amount must be a decimal string.' }) message!: string;
  @ApiPropertyOptional({ example: 'amount' }) param?: string;
  @ApiProperty({ example: 'req_4f1c...' }) request_id!: string;
  @ApiProperty({
    enum: [
      'invalid_request_error',
      'authentication_error',
      'permission_error',
      'idempotency_error',
      'rate_limit_error',
      'payment_error',
      'api_error',
    ],
  })
  type!: string;
}

export class ErrorBody {
  @ApiProperty({ type: ErrorDetail }) error!: ErrorDetail;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: a parameter is missing, unknown or malformed (see `param`).',
  401: 'No valid API key.',
  402: 'The request was valid but the payment could not be made (see `code`).',
  403: 'The key may not do this (scope, suspended account, operator-only route).',
  404: 'No such object for this account.',
  409: 'Conflicts with the current state, or a request with the same Idempotency-Key is in progress.',
  413: 'The request body is too large.',
  415: 'The body must be application/json.',
  422: 'The Idempotency-Key was used with a different request.',
  429: 'Rate limited; retry after the Retry-After header.',
};

/** Documents the error responses of an operation (every one also may answer 401, 429 and 500). */
export function ApiErrors(...statuses: number[]) {
  const all = [...new Set([...statuses, 401, 429])].sort();
  return applyDecorators(
    ...all.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error.', type: ErrorBody })),
    ApiResponse({ status: 500, description: 'Internal error; quote the request id.', type: ErrorBody }),
  );
}
