import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.tokens.js';
import { REDIS } from '../redis/redis.module.js';
import type { ApiKeyScope } from './principal.js';

export interface Credential {
  keyId: string;
  accountId: string;
  scopes: ApiKeyScope[];
  livemode: boolean;
  expiresAt: Date | null;
  revokedAt: Date | null;
  accountStatus: 'active' | 'suspended';
}

/** How long a looked-up key is trusted without asking the database again. */
export const CREDENTIAL_TTL_MS = 1000;
const MAX_CACHED = 10_000;
/**
 * Every process clears its cache when a key or an account's status changes anywhere. Pub/sub channels span the
 * whole Redis server, so the channel names the database whose keys changed.
 */
function invalidationChannel(databaseUrl: string): string {
  return `ai-receive:${new URL(databaseUrl).pathname.slice(1)}:credentials:changed`;
}

/**
 * Finds a secret key by the SHA-256 of its secret, with its account's status, in one indexed query.
 *
 * Answers (found or not) are cached for CREDENTIAL_TTL_MS, which takes a database round trip off nearly every
 * request. A revocation, roll or suspension calls `changed()` after its commit: this process forgets every
 * answer at once and the others do on the Redis message, so the cache never outlives a change by more than the
 * message's delivery (and never by more than the TTL, even if Redis drops it). Expiry is checked by the guard
 * against the clock on every request, so a cached key still stops working at its `expiresAt`.
 */
@Injectable()
export class CredentialRepository implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CredentialRepository.name);
  private readonly cache = new Map<string, { credential: Credential | null; until: number }>();
  private generation = 0;
  private subscriber: Redis | null = null;
  private readonly channel: string;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.channel = invalidationChannel(config.databaseUrl);
  }

  async onModuleInit(): Promise<void> {
    const subscriber = this.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('message', () => this.forgetAll());
    subscriber.on('error', (error: Error) => this.logger.warn(`Credential invalidation channel: ${error.message}`));
    await subscriber.subscribe(this.channel);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => undefined);
  }

  async findByHash(hash: Buffer): Promise<Credential | null> {
    const key = hash.toString('base64');
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.credential;
    const generation = this.generation;
    const credential = await this.query(hash);
    // A change that happened while the query ran may not be in its answer: do not keep it.
    if (generation === this.generation) {
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(key, { credential, until: now + CREDENTIAL_TTL_MS });
    }
    return credential;
  }

  /** Call after committing a change to a key or an account's status. */
  async changed(): Promise<void> {
    this.forgetAll();
    await this.redis.publish(this.channel, String(Date.now())).catch((error: Error) => {
      this.logger.warn(`Could not announce a credential change: ${error.message}`);
    });
  }

  private forgetAll(): void {
    this.generation++;
    this.cache.clear();
  }

  private async query(hash: Buffer): Promise<Credential | null> {
    const rows: Array<{
      id: string;
      account_id: string;
      scopes: ApiKeyScope[];
      livemode: boolean;
      expires_at: Date | null;
      revoked_at: Date | null;
      status: 'active' | 'suspended';
    }> = await this.dataSource.query(
      `SELECT k.id, k.account_id, k.scopes, k.livemode, k.expires_at, k.revoked_at, a.status
         FROM api_keys k JOIN accounts a ON a.id = k.account_id
        WHERE k.secret_hash = $1`,
      [hash],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      keyId: row.id,
      accountId: row.account_id,
      scopes: row.scopes,
      livemode: row.livemode,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
      accountStatus: row.status,
    };
  }
}
