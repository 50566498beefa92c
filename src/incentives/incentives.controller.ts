import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, RequireScopes } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { DeveloperIncentivesService } from './developer-incentives.service.js';
import { BenefitListQuery, BenefitListView } from './dto/benefit.dto.js';
import {
  ApplyForProgramRequest,
  EnrollmentListQuery,
  EnrollmentListView,
  EnrollmentView,
} from './dto/enrollment.dto.js';
import { DeveloperProgramListView, DeveloperProgramView, ProgramListQuery } from './dto/program.dto.js';
import { IncentiveEnrollmentsService } from './incentive-enrollments.service.js';

@ApiTags('Incentives')
@Controller('v1')
@RequireScopes()
export class IncentivesController {
  constructor(
    private readonly developer: DeveloperIncentivesService,
    private readonly enrollments: IncentiveEnrollmentsService,
  ) {}

  @Get('incentive_programs')
  @ApiOperation({
    summary: 'List the open incentive programs the account qualifies for or is enrolled in',
    description: 'Each with the account’s own enrollment, if any. `status` is ignored: only open programs show.',
  })
  @ApiOkResponse({ type: DeveloperProgramListView })
  @ApiErrors(400)
  listPrograms(@CurrentAccount() accountId: string, @Query() query: ProgramListQuery) {
    return this.developer.listPrograms(accountId, query);
  }

  @Get('incentive_programs/:id')
  @ApiOperation({ summary: 'Retrieve an open incentive program, or one the account is enrolled in' })
  @ApiOkResponse({ type: DeveloperProgramView })
  @ApiErrors(404)
  getProgram(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<DeveloperProgramView> {
    return this.developer.getProgram(accountId, id);
  }

  @Post('incentive_programs/:id/enrollments')
  @ApiOperation({
    summary: 'Apply to an incentive program',
    description:
      'Checked against the eligibility rules now. auto_enroll programs approve at once (a sign-up credit is ' +
      'paid in the same request); the others wait for the operator. One enrollment per account and program.',
  })
  @ApiCreatedResponse({ type: EnrollmentView })
  @ApiErrors(400, 403, 404, 409)
  apply(
    @CurrentAccount() accountId: string,
    @Param('id') id: string,
    @Body() body: ApplyForProgramRequest,
  ): Promise<EnrollmentView> {
    return this.enrollments.apply(accountId, id, body.note);
  }

  @Get('incentive_enrollments')
  @ApiOperation({ summary: "List the account's enrollments" })
  @ApiOkResponse({ type: EnrollmentListView })
  @ApiErrors(400)
  listEnrollments(@CurrentAccount() accountId: string, @Query() query: EnrollmentListQuery) {
    return this.enrollments.listForAccount(accountId, query);
  }

  @Get('incentive_enrollments/:id')
  @ApiOperation({ summary: 'Retrieve one of the account’s enrollments' })
  @ApiOkResponse({ type: EnrollmentView })
  @ApiErrors(404)
  getEnrollment(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<EnrollmentView> {
    return this.enrollments.getForAccount(accountId, id);
  }

  @Get('incentives/benefits')
  @ApiOperation({
    summary: "List the account's incentive benefits",
    description: 'Token subsidies, fee rebates and sign-up credits paid to the account, newest first.',
  })
  @ApiOkResponse({ type: BenefitListView })
  @ApiErrors(400)
  listBenefits(@CurrentAccount() accountId: string, @Query() query: BenefitListQuery) {
    return this.developer.listBenefits(accountId, query);
  }
}
