export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'idempotency_error'
  | 'rate_limit_error'
  | 'payment_error'
  | 'api_error';

/**
 * The one error shape the API answers with. Modules subclass it (or use the factories) with stable
 * snake_case codes; the global filter turns it into `{"error": {type, code, message, param?, request_id}}`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: ApiErrorType,
    readonly code: string,
    message: string,
    readonly param?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  static badRequest(code: string, message: string, param?: string): ApiError {
    return new ApiError(400, 'invalid_request_error', code, message, param);
  }

  static notFound(objectName: string, id: string, param?: string): ApiError {
    return new ApiError(404, 'invalid_request_error', 'resource_missing', `No such ${objectName}: '${id}'.`, param);
  }

  static conflict(code: string, message: string, param?: string): ApiError {
    return new ApiError(409, 'invalid_request_error', code, message, param);
  }

  static paymentRequired(code: string, message: string, param?: string): ApiError {
    return new ApiError(402, 'payment_error', code, message, param);
  }

  static forbidden(code: string, message: string): ApiError {
    return new ApiError(403, 'permission_error', code, message);
  }
}
