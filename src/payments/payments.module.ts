import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module.js';
import { IncentivesFeeRebateHook } from '../incentives/hooks/fee-rebate.adapter.js';
import { IncentivesModule } from '../incentives/incentives.module.js';
import { MandatesModule } from '../mandates/mandates.module.js';
import { UsageReportsModule } from '../metering/reports/usage-reports.module.js';
import { BillsController } from './bills/bills.controller.js';
import { BillsRepository } from './bills/bills.repository.js';
import { BillsService } from './bills/bills.service.js';
import { FEE_REBATE_HOOK, FeeCalculator } from './fees/fee-calculator.js';
import { PAYMENTS_QUEUE } from '../common/queues.js';
import { PaymentExpiryProcessor } from './payment-expiry.processor.js';
import { Payment } from './payment.entity.js';
import { PaymentsController } from './payments.controller.js';
import { PaymentsRepository } from './payments.repository.js';
import { PaymentsService } from './payments.service.js';
import { Refund } from './refund.entity.js';
import { RefundsController } from './refunds.controller.js';
import { CreatePaymentService } from './use-cases/create-payment/create-payment.service.js';
import { CreateRefundService } from './use-cases/create-refund/create-refund.service.js';
import { CancelPaymentService } from './use-cases/settle-payment/cancel-payment.service.js';
import { ConfirmPaymentService } from './use-cases/settle-payment/confirm-payment.service.js';
import { ExpirePaymentsService } from './use-cases/settle-payment/expire-payments.service.js';

/**
 * AI Receive payments against mandates, refunds, fees and payers' AI bills. Exports FeeCalculator (with the
 * FEE_REBATE_HOOK the incentives module answers) for Token Pay.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Payment, Refund]),
    BullModule.registerQueue({ name: PAYMENTS_QUEUE }),
    AccountsModule,
    IncentivesModule,
    MandatesModule,
    UsageReportsModule,
  ],
  controllers: [PaymentsController, RefundsController, BillsController],
  providers: [
    { provide: FEE_REBATE_HOOK, useExisting: IncentivesFeeRebateHook },
    FeeCalculator,
    PaymentsRepository,
    PaymentsService,
    CreatePaymentService,
    ConfirmPaymentService,
    CancelPaymentService,
    ExpirePaymentsService,
    CreateRefundService,
    BillsRepository,
    BillsService,
    PaymentExpiryProcessor,
  ],
  exports: [FeeCalculator, FEE_REBATE_HOOK, ExpirePaymentsService],
})
export class PaymentsModule {}
