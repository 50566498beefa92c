import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module.js';
import { WalletsModule } from '../wallets/wallets.module.js';
import { AdminIncentiveProgramsController } from './admin-incentive-programs.controller.js';
import { BenefitReturn } from './benefit-return.entity.js';
import { BudgetMovement } from './budget-movement.entity.js';
import { DeveloperIncentivesService } from './developer-incentives.service.js';
import { IncentivesFeeRebateHook } from './hooks/fee-rebate.adapter.js';
import { IncentivesTokenSubsidyHook } from './hooks/token-subsidy.adapter.js';
import { IncentiveBenefit } from './incentive-benefit.entity.js';
import { IncentiveBenefitsRepository } from './incentive-benefits.repository.js';
import { IncentiveEnrollment } from './incentive-enrollment.entity.js';
import { IncentiveEnrollmentsRepository } from './incentive-enrollments.repository.js';
import { IncentiveEnrollmentsService } from './incentive-enrollments.service.js';
import { IncentiveProgram } from './incentive-program.entity.js';
import { IncentiveProgramsRepository } from './incentive-programs.repository.js';
import { IncentiveProgramsService } from './incentive-programs.service.js';
import { IncentiveReportService } from './incentive-report.service.js';
import { IncentivesController } from './incentives.controller.js';
import { IncentivesService } from './incentives.service.js';
import { ApplyFeeRebatesService } from './use-cases/apply-fee-rebates/apply-fee-rebates.service.js';
import { ApplyTokenSubsidiesService } from './use-cases/apply-token-subsidies/apply-token-subsidies.service.js';
import { FundProgramService } from './use-cases/fund-program/fund-program.service.js';
import { GrantBenefitsService } from './use-cases/grant-benefits/grant-benefits.service.js';
import { GrantSignupCreditService } from './use-cases/grant-signup-credit/grant-signup-credit.service.js';
import { ReturnBenefitsService } from './use-cases/return-benefits/return-benefits.service.js';
import { WithdrawProgramBudgetService } from './use-cases/withdraw-program-budget/withdraw-program-budget.service.js';

/**
 * Incentive programs (token subsidies, fee discounts, sign-up credits), their ledger budgets, enrollments and
 * reports. IncentivesService is the one API payments and Token Pay ask for subsidies and fee rates; the hook
 * adapters bind it to the ports those modules define (Token Pay's TOKEN_SUBSIDY_HOOK, the fee calculator's FEE_REBATE_HOOK).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([IncentiveProgram, IncentiveEnrollment, IncentiveBenefit, BudgetMovement, BenefitReturn]),
    AccountsModule,
    WalletsModule,
  ],
  controllers: [AdminIncentiveProgramsController, IncentivesController],
  providers: [
    IncentiveProgramsRepository,
    IncentiveEnrollmentsRepository,
    IncentiveBenefitsRepository,
    IncentiveProgramsService,
    IncentiveEnrollmentsService,
    DeveloperIncentivesService,
    IncentiveReportService,
    IncentivesService,
    GrantBenefitsService,
    GrantSignupCreditService,
    ApplyTokenSubsidiesService,
    ApplyFeeRebatesService,
    ReturnBenefitsService,
    FundProgramService,
    WithdrawProgramBudgetService,
    IncentivesTokenSubsidyHook,
    IncentivesFeeRebateHook,
  ],
  exports: [IncentivesService, IncentivesTokenSubsidyHook, IncentivesFeeRebateHook],
})
export class IncentivesModule {}
