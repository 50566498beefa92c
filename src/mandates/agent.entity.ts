import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An AI agent a payer registers so that mandates and bills can name who spent. */
@Entity('agents')
export class Agent {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'account_id' }) accountId!: string;
  @Column('text') name!: string;
  @Column('text', { nullable: true }) framework!: string | null;
  @Column('text', { nullable: true }) vendor!: string | null;
  @Column('text', { name: 'public_key', nullable: true }) publicKey!: string | null;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
