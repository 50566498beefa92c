import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { METERING_QUEUE } from '../common/queues.js';
import { IncentivesTokenSubsidyHook } from '../incentives/hooks/token-subsidy.adapter.js';
import { IncentivesModule } from '../incentives/incentives.module.js';
import { MandatesModule } from '../mandates/mandates.module.js';
import { PaymentsModule } from '../payments/payments.module.js';
import { AuthorizationsController } from './authorizations.controller.js';
import { AuthorizationsRepository } from './authorizations.repository.js';
import { MandateTermsCache } from './mandate-terms.cache.js';
import { MeteringMaintenanceProcessor } from './metering-maintenance.processor.js';
import { UsageReportsModule } from './reports/usage-reports.module.js';
import { TOKEN_SUBSIDY_HOOK } from './token-subsidy.hook.js';
import { UsageAuthorization } from './usage-authorization.entity.js';
import { UsageEventsController } from './usage-events.controller.js';
import { UsageEventsRepository } from './usage-events.repository.js';
import { UsageMaintenanceService } from './usage-maintenance.service.js';
import { RecordUsageService } from './use-cases/record-usage/record-usage.service.js';
import { AuthorizationSettlementService } from './use-cases/settle-authorization/authorization-settlement.service.js';
import { AuthorizationsService } from './use-cases/settle-authorization/authorizations.service.js';
import { ExpireAuthorizationsService } from './use-cases/settle-authorization/expire-authorizations.service.js';

/**
 * Token Pay: usage events (rated, deduplicated and charged in real time), authorizations ("up to" holds) and
 * usage reports. Charging goes through the mandates module's MandateSpendService, fees through FeeCalculator.
 * TOKEN_SUBSIDY_HOOK is answered by the incentives module, which pays part of the token cost from program budgets.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([UsageAuthorization]),
    BullModule.registerQueue({ name: METERING_QUEUE }),
    AccountsModule,
    CatalogModule,
    IncentivesModule,
    MandatesModule,
    PaymentsModule,
    UsageReportsModule,
  ],
  controllers: [UsageEventsController, AuthorizationsController],
  providers: [
    { provide: TOKEN_SUBSIDY_HOOK, useExisting: IncentivesTokenSubsidyHook },
    UsageEventsRepository,
    MandateTermsCache,
    AuthorizationsRepository,
    RecordUsageService,
    AuthorizationSettlementService,
    AuthorizationsService,
    ExpireAuthorizationsService,
    UsageMaintenanceService,
    MeteringMaintenanceProcessor,
  ],
  exports: [UsageMaintenanceService, ExpireAuthorizationsService],
})
export class MeteringModule {}
