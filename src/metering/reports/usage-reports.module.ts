import { Module } from '@nestjs/common';
import { PayerUsageService } from './payer-usage.service.js';
import { UsageReportsRepository } from './usage-reports.repository.js';
import { UsageReportsService } from './usage-reports.service.js';

/**
 * Read-only usage reports. A module of its own, without the charging side's imports, so that payments can
 * put usage into payers' bills (PayerUsageService) without a circular import.
 */
@Module({
  providers: [UsageReportsRepository, UsageReportsService, PayerUsageService],
  exports: [UsageReportsService, PayerUsageService],
})
export class UsageReportsModule {}
