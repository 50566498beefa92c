import { createParamDecorator, ExecutionContext, SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiError } from '../errors/api-error.js';
import { ApiKeyScope, principalOf } from './principal.js';

export const AUTH_POLICY = 'auth_policy';

export type AuthPolicy =
  | { kind: 'public' }
  | { kind: 'admin' }
  /** An account key; `scopes` lists the scopes (besides `full`) that may call the route. */
  | { kind: 'account'; scopes: ApiKeyScope[] }
  /** An account key or the operator key (the operator then acts on any account). */
  | { kind: 'account_or_admin'; scopes: ApiKeyScope[] };

/** No authentication (health, docs, inbound provider webhooks, sign-up when open). */
export const Public = () => SetMetadata(AUTH_POLICY, { kind: 'public' } satisfies AuthPolicy);

/** Operator only: the ADMIN_API_KEY. */
export const AdminOnly = () =>
  applyDecorators(SetMetadata(AUTH_POLICY, { kind: 'admin' } satisfies AuthPolicy), ApiSecurity('admin_key'));

/**
 * An account's secret key. Reads (GET) accept any scope; writes need `full` or one of the listed scopes.
 */
export const RequireScopes = (...scopes: ApiKeyScope[]) =>
  applyDecorators(
    SetMetadata(AUTH_POLICY, { kind: 'account', scopes } satisfies AuthPolicy),
    ApiBearerAuth('secret_key'),
  );

/** The authenticated account's id. Throws when the caller is not an account key. */
export const CurrentAccount = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const principal = principalOf(ctx.switchToHttp().getRequest<Request>());
  if (principal?.kind !== 'account') {
    throw ApiError.forbidden('account_key_required', 'This route needs an account secret key.');
  }
  return principal.accountId;
});
