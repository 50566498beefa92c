import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, RequireScopes } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { LOCAL_TOP_UP_DECLINE } from '../providers/local-payment.provider.js';
import { FailTestTopUpRequest, TopUpView } from './dto/wallet.dto.js';
import { SettleTestTopUpService } from './use-cases/settle-test-top-up/settle-test-top-up.service.js';

const LOCAL_ONLY =
  'Local rail only (400 `test_helpers_unavailable` with any other provider). Only a pending top-up (created with ' +
  '`test_outcome: pending`) can be settled; a settled one answers 409 `top_up_not_pending` and keeps its outcome.';

@ApiTags('Test helpers')
@Controller('v1/test_helpers/top_ups')
@RequireScopes()
export class TopUpTestHelpersController {
  constructor(private readonly settle: SettleTestTopUpService) {}

  @Post(':id/succeed')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Simulate the provider collecting a pending top-up: credits the wallet once',
    description: `Emits \`wallet.top_up.succeeded\`. ${LOCAL_ONLY}`,
  })
  @ApiOkResponse({ type: TopUpView })
  @ApiErrors(400, 404, 409)
  succeed(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<TopUpView> {
    return this.settle.settle(accountId, id, { status: 'succeeded' });
  }

  @Post(':id/fail')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Simulate the provider declining a pending top-up: credits nothing and records the failure',
    description: `Emits \`wallet.top_up.failed\`. ${LOCAL_ONLY}`,
  })
  @ApiOkResponse({ type: TopUpView })
  @ApiErrors(400, 404, 409)
  fail(
    @CurrentAccount() accountId: string,
    @Param('id') id: string,
    @Body() body: FailTestTopUpRequest,
  ): Promise<TopUpView> {
    return this.settle.settle(accountId, id, {
      status: 'failed',
      code: body.failure_code ?? LOCAL_TOP_UP_DECLINE.code,
      message: body.failure_message ?? LOCAL_TOP_UP_DECLINE.message,
    });
  }
}
