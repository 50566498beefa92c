import { Global, Module } from '@nestjs/common';
import { OutboxRelay } from './outbox-relay.js';
import { OutboxRepository } from './outbox.repository.js';
import { OutboxService } from './outbox.service.js';

/** The transactional outbox for every module: OutboxService.enqueue in a transaction, OutboxRelay after commit. */
@Global()
@Module({
  providers: [OutboxRepository, OutboxService, OutboxRelay],
  exports: [OutboxService, OutboxRelay],
})
export class OutboxModule {}
