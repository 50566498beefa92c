import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import {
  EnrollmentListQuery,
  EnrollmentListView,
  EnrollmentView,
  RejectEnrollmentRequest,
} from './dto/enrollment.dto.js';
import {
  AdminProgramListView,
  AdminProgramView,
  BudgetAmountRequest,
  CreateProgramRequest,
  ProgramListQuery,
  UpdateProgramRequest,
  WithdrawBudgetRequest,
} from './dto/program.dto.js';
import { ReportQuery, ReportView } from './dto/report.dto.js';
import { IncentiveEnrollmentsService } from './incentive-enrollments.service.js';
import { IncentiveProgramsService } from './incentive-programs.service.js';
import { IncentiveReportService } from './incentive-report.service.js';
import { FundProgramService } from './use-cases/fund-program/fund-program.service.js';
import { WithdrawProgramBudgetService } from './use-cases/withdraw-program-budget/withdraw-program-budget.service.js';

@ApiTags('Admin: incentive programs')
@Controller('v1/admin/incentive_programs')
@AdminOnly()
export class AdminIncentiveProgramsController {
  constructor(
    private readonly programs: IncentiveProgramsService,
    private readonly enrollments: IncentiveEnrollmentsService,
    private readonly funding: FundProgramService,
    private readonly withdrawals: WithdrawProgramBudgetService,
    private readonly reports: IncentiveReportService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create an incentive program (operator)',
    description:
      'token_subsidy, fee_discount or signup_credit, with its terms under the key of its type. Created as a ' +
      'draft unless `status` is active; it grants nothing until it is active, inside its dates and funded.',
  })
  @ApiCreatedResponse({ type: AdminProgramView })
  @ApiErrors(400, 403)
  create(@Body() body: CreateProgramRequest): Promise<AdminProgramView> {
    return this.programs.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List incentive programs (operator)' })
  @ApiOkResponse({ type: AdminProgramListView })
  @ApiErrors(400, 403)
  list(@Query() query: ProgramListQuery) {
    return this.programs.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve an incentive program with its budget (operator)' })
  @ApiOkResponse({ type: AdminProgramView })
  @ApiErrors(403, 404)
  get(@Param('id') id: string): Promise<AdminProgramView> {
    return this.programs.get(id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Update an incentive program (operator)',
    description: 'Terms and rules apply to charges from now on. Status: draft → active ⇄ paused → ended.',
  })
  @ApiOkResponse({ type: AdminProgramView })
  @ApiErrors(400, 403, 404, 409)
  update(@Param('id') id: string, @Body() body: UpdateProgramRequest): Promise<AdminProgramView> {
    return this.programs.update(id, body);
  }

  @Post(':id/fund')
  @HttpCode(200)
  @ApiOperation({
    summary: "Move platform money into a program's budget (operator)",
    description: "Ledger: platform compensation → the program's budget account.",
  })
  @ApiOkResponse({ type: AdminProgramView })
  @ApiErrors(400, 403, 404, 409)
  fund(@Param('id') id: string, @Body() body: BudgetAmountRequest): Promise<AdminProgramView> {
    return this.funding.fund(id, body.amount);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOperation({
    summary: "Move a program's unspent budget back to the platform (operator)",
    description: 'Without an amount, everything that remains.',
  })
  @ApiOkResponse({ type: AdminProgramView })
  @ApiErrors(400, 403, 404)
  withdraw(@Param('id') id: string, @Body() body: WithdrawBudgetRequest): Promise<AdminProgramView> {
    return this.withdrawals.withdraw(id, body.amount);
  }

  @Get(':id/report')
  @ApiOperation({
    summary: "A program's spending report (operator)",
    description:
      'funded, withdrawn and spent in the period, remaining at its end, beneficiaries, and benefits per UTC ' +
      'booking day or per account. Equal to the ledger to the nano.',
  })
  @ApiOkResponse({ type: ReportView })
  @ApiErrors(400, 403, 404)
  report(@Param('id') id: string, @Query() query: ReportQuery): Promise<ReportView> {
    return this.reports.report(id, query);
  }

  @Get(':id/enrollments')
  @ApiOperation({ summary: "List a program's enrollments (operator)" })
  @ApiOkResponse({ type: EnrollmentListView })
  @ApiErrors(400, 403, 404)
  enrollmentsOf(@Param('id') id: string, @Query() query: EnrollmentListQuery) {
    return this.enrollments.listForProgram(id, query);
  }

  @Post(':id/enrollments/:enrollment/approve')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve a pending enrollment (operator)',
    description: 'A sign-up credit is paid at once; a fee discount runs duration_days from now.',
  })
  @ApiOkResponse({ type: EnrollmentView })
  @ApiErrors(403, 404, 409)
  approve(@Param('id') id: string, @Param('enrollment') enrollment: string): Promise<EnrollmentView> {
    return this.enrollments.approve(id, enrollment);
  }

  @Post(':id/enrollments/:enrollment/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a pending enrollment (operator)' })
  @ApiOkResponse({ type: EnrollmentView })
  @ApiErrors(400, 403, 404, 409)
  reject(
    @Param('id') id: string,
    @Param('enrollment') enrollment: string,
    @Body() body: RejectEnrollmentRequest,
  ): Promise<EnrollmentView> {
    return this.enrollments.reject(id, enrollment, body.reason);
  }
}
