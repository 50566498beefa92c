import { DynamicModule, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { AccountsModule } from './accounts/accounts.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { CommonModule } from './common/common.module.js';
import { OutboxModule } from './common/outbox/outbox.module.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { IncentivesModule } from './incentives/incentives.module.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { MandatesModule } from './mandates/mandates.module.js';
import { MeteringModule } from './metering/metering.module.js';
import { PaymentsModule } from './payments/payments.module.js';
import { PayoutsModule } from './payouts/payouts.module.js';
import { ProvidersModule } from './providers/providers.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { WalletsModule } from './wallets/wallets.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

/**
 * Feature modules; each registers its own queues and, when this process runs workers, its processors. Express
 * tries routes in the order modules register them, one pattern after another, so the two busiest routes' modules
 * (usage events, payments) come first: a request to them is matched in a few tries rather than eighty.
 */
function featureModules(): DynamicModule['imports'] {
  return [
    MeteringModule,
    PaymentsModule,
    AccountsModule,
    CatalogModule,
    HealthModule,
    IncentivesModule,
    LedgerModule,
    OutboxModule,
    WebhooksModule,
    MandatesModule,
    PayoutsModule,
    ReportsModule,
    WalletsModule,
  ];
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        // API-only processes register no workers; the others start every processor of the feature modules.
        BullModule.forRoot({
          connection: { url: config.redisUrl },
          prefix: 'air',
          extraOptions: { manualRegistration: config.appRole === 'api' },
        }),
        CommonModule,
        ProvidersModule,
        ...(featureModules() ?? []),
      ],
    };
  }
}
