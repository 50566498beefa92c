// Generated from openapi.json by libs/sdk/src/generate.ts (`npm run openapi`). Do not edit.
import type { RequestOptions, Transport } from '../transport.js';

export type AccountListView = { "data": Array<AdminAccountView>; "has_more": boolean; "object": "list"; };
export type AccountView = { "capabilities": Array<"receive" | "pay">; "charges_enabled": boolean; "country": string; "created": number; "default_currency": string; "email": string; "id": string; "metadata": { [key: string]: string; }; "name": string; "object": "account"; "payouts_enabled": boolean; "provider": "local" | "stripe"; "requirements": RequirementsView; "status": "active" | "suspended"; "verification_status": "unverified" | "pending" | "verified" | "rejected"; };
export type AdminAccountView = { "capabilities": Array<"receive" | "pay">; "charges_enabled": boolean; "country": string; "created": number; "default_currency": string; "email": string; "fee_bps": number | null; "fee_fixed": string | null; "id": string; "metadata": { [key: string]: string; }; "name": string; "object": "account"; "payouts_enabled": boolean; "provider": "local" | "stripe"; "provider_account_id": string | null; "requirements": RequirementsView; "status": "active" | "suspended"; "verification_status": "unverified" | "pending" | "verified" | "rejected"; };
export type ApiKeyListView = { "data": Array<ApiKeyView>; "has_more": boolean; "object": "list"; };
export type ApiKeyView = { "created": number; "expires_at": number | null; "id": string; "last4": string; "livemode": boolean; "name": string; "object": "api_key"; "prefix": string; "revoked": boolean; "scopes": Array<"full" | "usage:write" | "payments:write" | "read_only">; };
export type ApiKeyWithSecretView = { "created": number; "expires_at": number | null; "id": string; "last4": string; "livemode": boolean; "name": string; "object": "api_key"; "prefix": string; "revoked": boolean; "scopes": Array<"full" | "usage:write" | "payments:write" | "read_only">; "secret": string; };
export type CreateAccountRequest = { "capabilities": Array<"receive" | "pay">; "country": string; "default_currency": string; "email": string; "metadata"?: { [key: string]: string; }; "name": string; };
export type CreateApiKeyRequest = { "name": string; "scopes"?: Array<"full" | "usage:write" | "payments:write" | "read_only">; };
export type ErrorBody = { "error": ErrorDetail; };
export type ErrorDetail = { "code": string; "message": string; "param"?: string; "request_id": string; "type": "invalid_request_error" | "authentication_error" | "permission_error" | "idempotency_error" | "rate_limit_error" | "payment_error" | "api_error"; };
export type HealthView = { "postgres": "up" | "down"; "redis": "up" | "down"; "status": "ok" | "degraded"; };
export type OnboardingLinkView = { "account": AccountView; "expires_at": number; "object": "onboarding_link"; "url": string; };
export type RequirementsView = { "currently_due": Array<string>; };
export type RollApiKeyRequest = { "expires_in_hours"?: number; };
export type SignupView = { "account": AccountView; "api_key": ApiKeyWithSecretView; };
export type UpdateAccountFeesRequest = { "fee_bps"?: number | null; "fee_fixed"?: string | null; };
export type UpdateAccountRequest = { "default_currency"?: string; "email"?: string; "metadata"?: { [key: string]: string; }; "name"?: string; };

export class AiReceiveApi {
  constructor(private readonly transport: Transport) {}

  /** Retrieve the account of the calling key */
  accountsGet(options: RequestOptions = {}): Promise<AccountView> {
    return this.transport.request("GET", `/v1/account`, { options });
  }

  /** Get a link where the account completes verification */
  accountsOnboardingLink(options: RequestOptions = {}): Promise<OnboardingLinkView> {
    return this.transport.request("POST", `/v1/account/onboarding_links`, { options });
  }

  /** Sign up: create an account and its first secret key */
  accountsSignup(body: CreateAccountRequest, options: RequestOptions = {}): Promise<SignupView> {
    return this.transport.request("POST", `/v1/accounts`, { body, options });
  }

  /** Update the account of the calling key */
  accountsUpdate(body: UpdateAccountRequest, options: RequestOptions = {}): Promise<AccountView> {
    return this.transport.request("PATCH", `/v1/account`, { body, options });
  }

  /** Retrieve any account (operator) */
  adminAccountsGet(id: string, options: RequestOptions = {}): Promise<AdminAccountView> {
    return this.transport.request("GET", `/v1/admin/accounts/${encodeURIComponent(id)}`, { options });
  }

  /** List all accounts (operator) */
  adminAccountsList(query: { limit?: number; starting_after?: string; } = {}, options: RequestOptions = {}): Promise<AccountListView> {
    return this.transport.request("GET", `/v1/admin/accounts`, { query, options });
  }

  /** Reinstate a suspended account (operator) */
  adminAccountsReinstate(id: string, options: RequestOptions = {}): Promise<AdminAccountView> {
    return this.transport.request("POST", `/v1/admin/accounts/${encodeURIComponent(id)}/reinstate`, { options });
  }

  /** Suspend an account: its keys get 403 account_suspended (operator) */
  adminAccountsSuspend(id: string, options: RequestOptions = {}): Promise<AdminAccountView> {
    return this.transport.request("POST", `/v1/admin/accounts/${encodeURIComponent(id)}/suspend`, { options });
  }

  /** Override an account's platform fee (operator) */
  adminAccountsUpdate(id: string, body: UpdateAccountFeesRequest, options: RequestOptions = {}): Promise<AdminAccountView> {
    return this.transport.request("PATCH", `/v1/admin/accounts/${encodeURIComponent(id)}`, { body, options });
  }

  /** Create a secret key (shown once) */
  apiKeysCreate(body: CreateApiKeyRequest, options: RequestOptions = {}): Promise<ApiKeyWithSecretView> {
    return this.transport.request("POST", `/v1/api_keys`, { body, options });
  }

  /** List secret keys (never the secrets: prefix and last four only) */
  apiKeysList(query: { limit?: number; starting_after?: string; } = {}, options: RequestOptions = {}): Promise<ApiKeyListView> {
    return this.transport.request("GET", `/v1/api_keys`, { query, options });
  }

  /** Revoke a secret key at once */
  apiKeysRevoke(id: string, options: RequestOptions = {}): Promise<ApiKeyView> {
    return this.transport.request("DELETE", `/v1/api_keys/${encodeURIComponent(id)}`, { options });
  }

  /** Roll a secret key: a new secret now, the old one expires after the overlap (≤ 7 days) */
  apiKeysRoll(id: string, body: RollApiKeyRequest, options: RequestOptions = {}): Promise<ApiKeyWithSecretView> {
    return this.transport.request("POST", `/v1/api_keys/${encodeURIComponent(id)}/roll`, { body, options });
  }

  /** Liveness and dependencies: PostgreSQL and Redis */
  healthHealth(options: RequestOptions = {}): Promise<HealthView> {
    return this.transport.request("GET", `/health`, { options });
  }

  /** Prometheus metrics: request latency histogram, queue depths, process */
  healthMetrics(options: RequestOptions = {}): Promise<string> {
    return this.transport.request("GET", `/metrics`, { options });
  }
}
