import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Account } from './account.entity.js';
import { AccountsController } from './accounts.controller.js';
import { AccountsRepository } from './accounts.repository.js';
import { AccountsService } from './accounts.service.js';
import { AdminAccountsController } from './admin-accounts.controller.js';
import { ApiKey } from './api-key.entity.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { LocalOnboardingController } from './local-onboarding.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([Account, ApiKey])],
  controllers: [AccountsController, ApiKeysController, AdminAccountsController, LocalOnboardingController],
  providers: [AccountsRepository, AccountsService, ApiKeysService],
  exports: [AccountsService],
})
export class AccountsModule {}
