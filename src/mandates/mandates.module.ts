import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module.js';
import { Agent } from './agent.entity.js';
import { AgentsController } from './agents.controller.js';
import { AgentsService } from './agents.service.js';
import { Mandate } from './mandate.entity.js';
import { MANDATES_QUEUE } from '../common/queues.js';
import { MandateExpiryProcessor } from './mandate-expiry.processor.js';
import { MandatesController } from './mandates.controller.js';
import { MandatesRepository } from './mandates.repository.js';
import { MandatesService } from './mandates.service.js';
import { ExpireMandatesService } from './use-cases/expire-mandates/expire-mandates.service.js';
import { MandateGiveBackService } from './use-cases/give-back-mandate-spend/give-back-mandate-spend.service.js';
import {
  MandateHoldPartCaptureService,
  MandateHoldService,
} from './use-cases/settle-mandate-hold/mandate-hold.service.js';
import { MandateSpendService } from './use-cases/spend-from-mandate/spend-from-mandate.service.js';

/**
 * Agents, mandates and the one use case that decides whether a payer may spend (MandateSpendService),
 * with its hold settlement and give-back, exported for payments and Token Pay.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Agent, Mandate]),
    BullModule.registerQueue({ name: MANDATES_QUEUE }),
    AccountsModule,
  ],
  controllers: [AgentsController, MandatesController],
  providers: [
    MandatesRepository,
    AgentsService,
    MandatesService,
    MandateSpendService,
    MandateHoldService,
    MandateHoldPartCaptureService,
    MandateGiveBackService,
    ExpireMandatesService,
    MandateExpiryProcessor,
  ],
  exports: [
    MandateSpendService,
    MandateHoldService,
    MandateHoldPartCaptureService,
    MandateGiveBackService,
    ExpireMandatesService,
  ],
})
export class MandatesModule {}
