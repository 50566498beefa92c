import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module.js';
import { TopUpProviderEvents } from './top-up-provider-events.js';
import { TopUpTestHelpersController } from './top-up-test-helpers.controller.js';
import { TopUp } from './top-up.entity.js';
import { CompleteTopUpService } from './use-cases/complete-top-up/complete-top-up.service.js';
import { CreateTopUpService } from './use-cases/create-top-up/create-top-up.service.js';
import { SettleTestTopUpService } from './use-cases/settle-test-top-up/settle-test-top-up.service.js';
import { WalletsController } from './wallets.controller.js';
import { WalletsRepository } from './wallets.repository.js';
import { WalletsService } from './wallets.service.js';

/**
 * Payer wallets (ledger accounts of purpose `wallet`, one per currency), the top-ups that fund them, and the local
 * rail's top-up test helpers.
 */
@Module({
  imports: [TypeOrmModule.forFeature([TopUp]), AccountsModule],
  controllers: [WalletsController, TopUpTestHelpersController],
  providers: [
    WalletsRepository,
    WalletsService,
    CreateTopUpService,
    CompleteTopUpService,
    SettleTestTopUpService,
    TopUpProviderEvents,
  ],
  exports: [CompleteTopUpService, WalletsService],
})
export class WalletsModule {}
