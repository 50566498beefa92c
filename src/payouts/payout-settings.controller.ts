import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, RequireScopes } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { PayoutSettingsView, UpdatePayoutSettingsRequest } from './dto/payout-settings.dto.js';
import { PayoutSettingsService } from './payout-settings.service.js';

@ApiTags('Payouts')
@Controller('v1/payout_settings')
@RequireScopes()
export class PayoutSettingsController {
  constructor(private readonly settings: PayoutSettingsService) {}

  @Get()
  @ApiOperation({ summary: 'Retrieve the payout schedule, minimum, destination and settlement terms' })
  @ApiOkResponse({ type: PayoutSettingsView })
  @ApiErrors()
  get(@CurrentAccount() accountId: string): Promise<PayoutSettingsView> {
    return this.settings.get(accountId);
  }

  @Put()
  @ApiOperation({
    summary: 'Update the payout schedule, minimum amount or destination',
    description:
      'Fields left out keep their value. A new destination lifts a pause caused by a failed payout. Local rail: a ' +
      'bank_account (US account and ABA routing number, or IBAN), validated for shape; Stripe: an external_account.',
  })
  @ApiOkResponse({ type: PayoutSettingsView })
  @ApiErrors(400, 403)
  update(@CurrentAccount() accountId: string, @Body() body: UpdatePayoutSettingsRequest): Promise<PayoutSettingsView> {
    return this.settings.update(accountId, body);
  }
}
