import type { Request } from 'express';

export const API_KEY_SCOPES = ['full', 'usage:write', 'payments:write', 'read_only'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export type Principal =
  { kind: 'admin' } | { kind: 'account'; accountId: string; keyId: string; scopes: ApiKeyScope[]; livemode: boolean };

const PRINCIPAL = Symbol('principal');
type WithPrincipal = Request & { [PRINCIPAL]?: Principal };

export function setPrincipal(request: Request, principal: Principal): void {
  (request as WithPrincipal)[PRINCIPAL] = principal;
}

export function principalOf(request: Request): Principal | undefined {
  return (request as WithPrincipal)[PRINCIPAL];
}
