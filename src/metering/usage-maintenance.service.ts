import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { UsageEventsRepository } from './usage-events.repository.js';

const DAY_MS = 86_400_000;
/** Dedup keys live at least this long (the promise made to vendors), and longer if usage may be older. */
const MIN_DEDUP_DAYS = 35;
const MONTHS_AHEAD_DAYS = 92;
const PRUNE_BATCH = 10_000;

/**
 * Storage upkeep for usage: monthly partitions are created months ahead (and far enough back for the oldest
 * usage still accepted), and dedup keys are pruned once no event they protect against can still be accepted.
 */
@Injectable()
export class UsageMaintenanceService {
  constructor(
    private readonly repository: UsageEventsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** How long a dedup key is kept: an event re-sent after that is older than USAGE_MAX_AGE and refused anyway. */
  dedupRetentionMs(): number {
    return (Math.max(MIN_DEDUP_DAYS, this.config.usageMaxAgeDays) + 1) * DAY_MS;
  }

  async ensurePartitions(now = new Date()): Promise<number> {
    return this.repository.ensurePartitions(
      new Date(now.getTime() - (this.config.usageMaxAgeDays + 1) * DAY_MS),
      new Date(now.getTime() + MONTHS_AHEAD_DAYS * DAY_MS),
    );
  }

  async pruneDedupKeys(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.dedupRetentionMs());
    let total = 0;
    for (;;) {
      const deleted = await this.repository.pruneKeys(cutoff, PRUNE_BATCH);
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
  }
}
