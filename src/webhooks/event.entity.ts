import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The read side of the `events` outbox table that EventRecorder writes. */
@Entity('events')
export class EventRecord {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'account_id' }) accountId!: string;
  @Column('text') type!: string;
  @Column('jsonb') data!: { object: object };
  @Column('text', { name: 'request_id', nullable: true }) requestId!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
