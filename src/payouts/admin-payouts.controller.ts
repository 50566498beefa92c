import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { unixSeconds } from '../common/pagination/pagination.js';
import { PayoutRunView } from './dto/payout-run.dto.js';
import { PayoutSettingsView, UpdateSettlementTermsRequest } from './dto/payout-settings.dto.js';
import { PayoutClockService } from './payout-clock.service.js';
import { PayoutSettingsService } from './payout-settings.service.js';

@ApiTags('Admin: payouts')
@Controller('v1/admin')
@AdminOnly()
export class AdminPayoutsController {
  constructor(
    private readonly settings: PayoutSettingsService,
    private readonly clock: PayoutClockService,
  ) {}

  @Get('accounts/:id/payout_settings')
  @ApiOperation({ summary: "Retrieve an account's payout settings and settlement terms (operator)" })
  @ApiOkResponse({ type: PayoutSettingsView })
  @ApiErrors(403, 404)
  get(@Param('id') id: string): Promise<PayoutSettingsView> {
    return this.settings.getForOperator(id);
  }

  @Put('accounts/:id/payout_settings')
  @ApiOperation({
    summary: "Set an account's settlement delay and rolling reserve (operator)",
    description: 'The reserve keeps `reserve_bps` of each settlement in the reserve balance for `reserve_hold_days`.',
  })
  @ApiOkResponse({ type: PayoutSettingsView })
  @ApiErrors(400, 403, 404)
  update(@Param('id') id: string, @Body() body: UpdateSettlementTermsRequest): Promise<PayoutSettingsView> {
    return this.settings.updateTerms(id, body);
  }

  @Post('payout_runs')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run the payout clock now (operator)',
    description:
      'What the repeatable job does every PAYOUT_TICK_SECONDS: apply rail updates, settle funds whose delay has ' +
      'passed, release reserves, re-queue stuck payouts and create the scheduled payouts due today. Waits for a ' +
      'running tick to finish first.',
  })
  @ApiOkResponse({ type: PayoutRunView })
  @ApiErrors(403)
  async run(): Promise<PayoutRunView> {
    const summary = (await this.clock.tick(true))!;
    return {
      object: 'payout_run',
      at: unixSeconds(summary.at),
      payouts_created: summary.payoutsCreated,
      rail_updates: summary.railUpdates,
      resubmitted: summary.resubmitted,
      reserves_released: summary.reservesReleased,
      settlement_items: summary.settlementItems,
      settlements: summary.settlements,
    };
  }
}
