import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { generateSecretKey } from '../common/auth/api-key-secret.js';
import { CredentialRepository } from '../common/auth/credential.repository.js';
import type { ApiKeyScope } from '../common/auth/principal.js';
import { ApiError } from '../common/errors/api-error.js';
import { newId } from '../common/ids.js';
import { ListPage, toPage } from '../common/pagination/pagination.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { presentApiKey } from './account.presenter.js';
import { AccountsRepository } from './accounts.repository.js';
import { ApiKey } from './api-key.entity.js';
import type { ApiKeyView, ApiKeyWithSecretView } from './dto/api-key.dto.js';

const HOUR_MS = 3600 * 1000;

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly repository: AccountsRepository,
    private readonly transactions: TransactionRunner,
    private readonly credentials: CredentialRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  create(accountId: string, name: string, scopes: ApiKeyScope[]): Promise<ApiKeyWithSecretView> {
    return this.transactions.run((manager) => this.createInTransaction(manager, accountId, name, scopes));
  }

  /** Live keys in production, test keys elsewhere; the prefix tells them apart. */
  async createInTransaction(
    manager: EntityManager,
    accountId: string,
    name: string,
    scopes: ApiKeyScope[],
  ): Promise<ApiKeyWithSecretView> {
    const generated = generateSecretKey(this.config.appEnv === 'production');
    const key = Object.assign(new ApiKey(), {
      id: newId('key'),
      accountId,
      name,
      scopes,
      livemode: this.config.appEnv === 'production',
      prefix: generated.prefix,
      last4: generated.last4,
      secretHash: generated.hash,
      expiresAt: null,
      revokedAt: null,
      rolledTo: null,
      createdAt: new Date(),
    } satisfies ApiKey);
    await this.repository.insertKey(manager, key);
    return { ...presentApiKey(key), secret: generated.secret };
  }

  async list(accountId: string, limit: number, startingAfter?: string): Promise<ListPage<ApiKeyView>> {
    return toPage(await this.repository.listKeys(accountId, limit, startingAfter), limit, presentApiKey);
  }

  async revoke(accountId: string, keyId: string): Promise<ApiKeyView> {
    const view = await this.transactions.run(async (manager) => {
      const key = await this.requireKey(manager, accountId, keyId);
      key.revokedAt ??= new Date();
      await this.repository.saveKey(manager, key);
      return presentApiKey(key);
    });
    await this.credentials.changed();
    return view;
  }

  /** A new secret with the same name and scopes; the old one keeps working for the chosen overlap (≤ 7 days). */
  async roll(accountId: string, keyId: string, overlapHours: number): Promise<ApiKeyWithSecretView> {
    const successor = await this.transactions.run(async (manager) => {
      const key = await this.requireKey(manager, accountId, keyId);
      if (key.revokedAt || key.rolledTo) {
        throw ApiError.badRequest(
          'api_key_not_rollable',
          'Only an active key that was not rolled before can be rolled.',
        );
      }
      const successor = await this.createInTransaction(manager, accountId, key.name, key.scopes);
      const expiresAt = new Date(Date.now() + overlapHours * HOUR_MS);
      key.expiresAt = key.expiresAt && key.expiresAt < expiresAt ? key.expiresAt : expiresAt;
      key.rolledTo = successor.id;
      await this.repository.saveKey(manager, key);
      return successor;
    });
    await this.credentials.changed();
    return successor;
  }

  private async requireKey(manager: EntityManager, accountId: string, keyId: string): Promise<ApiKey> {
    const key = await this.repository.findKey(accountId, keyId, manager);
    if (!key) throw ApiError.notFound('api_key', keyId);
    return key;
  }
}
