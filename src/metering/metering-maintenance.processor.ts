import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { METERING_QUEUE } from '../common/queues.js';
import { ExpireAuthorizationsService } from './use-cases/settle-authorization/expire-authorizations.service.js';
import { UsageMaintenanceService } from './usage-maintenance.service.js';

const EXPIRE_AUTHORIZATIONS = 'expire-authorizations';
const MAINTAIN_USAGE_STORAGE = 'maintain-usage-storage';

/**
 * Token Pay's scheduled work (one scheduler per job for all replicas: the ids are fixed): releasing expired
 * authorizations every 10 seconds, and hourly usage storage upkeep (partitions ahead, old dedup keys out).
 */
@Processor(METERING_QUEUE)
export class MeteringMaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(MeteringMaintenanceProcessor.name);

  constructor(
    private readonly authorizations: ExpireAuthorizationsService,
    private readonly storage: UsageMaintenanceService,
    @InjectQueue(METERING_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(EXPIRE_AUTHORIZATIONS, { every: 10_000 }, { name: EXPIRE_AUTHORIZATIONS });
    // The first run is at once (BullMQ starts an `every` schedule immediately), so a fresh deployment has its
    // partitions before the first usage arrives even if the migration ran long ago.
    await this.queue.upsertJobScheduler(MAINTAIN_USAGE_STORAGE, { every: 3_600_000 }, { name: MAINTAIN_USAGE_STORAGE });
  }

  async process(job: Job): Promise<void> {
    switch (job.name) {
      case EXPIRE_AUTHORIZATIONS: {
        const count = await this.authorizations.expireDue();
        if (count > 0) this.logger.log(`Released ${count} expired authorizations.`);
        return;
      }
      case MAINTAIN_USAGE_STORAGE: {
        const partitions = await this.storage.ensurePartitions();
        const pruned = await this.storage.pruneDedupKeys();
        if (partitions > 0 || pruned > 0) {
          this.logger.log(`Created ${partitions} usage partitions; pruned ${pruned} expired dedup keys.`);
        }
        return;
      }
      default:
        throw new Error(`Unknown ${METERING_QUEUE} job "${job.name}".`);
    }
  }
}
