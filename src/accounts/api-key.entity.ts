import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ApiKeyScope } from '../common/auth/principal.js';

@Entity('api_keys')
export class ApiKey {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'account_id' }) accountId!: string;
  @Column('text') name!: string;
  @Column('text', { array: true }) scopes!: ApiKeyScope[];
  @Column('boolean') livemode!: boolean;
  @Column('text') prefix!: string;
  @Column('text') last4!: string;
  @Column('bytea', { name: 'secret_hash' }) secretHash!: Buffer;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt!: Date | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
  @Column('text', { name: 'rolled_to', nullable: true }) rolledTo!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
