import { timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.tokens.js';
import { ApiError } from '../errors/api-error.js';
import { hashSecret } from './api-key-secret.js';
import { AUTH_POLICY, AuthPolicy } from './auth.decorators.js';
import { CredentialRepository } from './credential.repository.js';
import { Principal, setPrincipal } from './principal.js';
import { RateLimiter } from './rate-limiter.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function unauthorized(code: string, message: string): ApiError {
  return new ApiError(401, 'authentication_error', code, message, undefined, { 'WWW-Authenticate': 'Bearer' });
}

/** Authenticates every route by its policy (see auth.decorators.ts); routes without one need an account key. */
@Injectable()
export class AuthGuard implements CanActivate {
  /** The operator key's SHA-256: a presented key is hashed once, then compared with it in constant time. */
  private readonly adminKeyHash: Buffer;

  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: CredentialRepository,
    private readonly rateLimiter: RateLimiter,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.adminKeyHash = hashSecret(config.adminApiKey);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const policy = this.reflector.getAllAndOverride<AuthPolicy | undefined>(AUTH_POLICY, [
      context.getHandler(),
      context.getClass(),
    ]) ?? { kind: 'account', scopes: [] };
    const token = this.bearerToken(request);
    const tokenHash = token ? hashSecret(token) : null;
    const isAdmin = tokenHash !== null && timingSafeEqual(tokenHash, this.adminKeyHash);

    if (policy.kind === 'public') {
      if (isAdmin) setPrincipal(request, { kind: 'admin' });
      return true;
    }
    if (!tokenHash) throw unauthorized('missing_api_key', 'Send your secret key as "Authorization: Bearer <key>".');

    if (isAdmin) {
      if (policy.kind === 'account') {
        throw ApiError.forbidden(
          'account_key_required',
          'This route needs an account secret key, not the operator key.',
        );
      }
      setPrincipal(request, { kind: 'admin' });
      return true;
    }

    const principal = await this.authenticateAccountKey(tokenHash);
    if (policy.kind === 'admin') {
      throw ApiError.forbidden('admin_key_required', 'This route needs the operator key (ADMIN_API_KEY).');
    }
    if (!READ_METHODS.has(request.method) && !principal.scopes.includes('full')) {
      const allowed = principal.scopes.some((scope) => policy.scopes.includes(scope));
      if (!allowed) {
        throw ApiError.forbidden(
          'insufficient_scope',
          `This key's scopes (${principal.scopes.join(', ')}) do not allow this request; it needs ${['full', ...policy.scopes].join(' or ')}.`,
        );
      }
    }
    await this.rateLimiter.consume(principal.keyId);
    setPrincipal(request, principal);
    return true;
  }

  private bearerToken(request: Request): string | null {
    const header = request.header('authorization');
    if (!header) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized('invalid_authorization_header', 'The Authorization header must be "Bearer <key>".');
    return match[1];
  }

  private async authenticateAccountKey(tokenHash: Buffer): Promise<Principal & { kind: 'account' }> {
    const credential = await this.credentials.findByHash(tokenHash);
    if (!credential) throw unauthorized('invalid_api_key', 'The API key is not valid.');
    if (credential.revokedAt) throw unauthorized('api_key_revoked', 'This API key was revoked.');
    if (credential.expiresAt && credential.expiresAt.getTime() <= Date.now()) {
      throw unauthorized('api_key_expired', 'This API key has expired; use the key it was rolled to.');
    }
    if (credential.accountStatus === 'suspended') {
      throw ApiError.forbidden('account_suspended', 'This account is suspended. Contact the platform operator.');
    }
    return {
      kind: 'account',
      accountId: credential.accountId,
      keyId: credential.keyId,
      scopes: credential.scopes,
      livemode: credential.livemode,
    };
  }
}
