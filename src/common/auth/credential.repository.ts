import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
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

/** Finds a secret key by the SHA-256 of its secret, with its account's status, in one indexed query. */
@Injectable()
export class CredentialRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findByHash(hash: Buffer): Promise<Credential | null> {
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
