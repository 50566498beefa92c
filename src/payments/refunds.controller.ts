import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, RequireScopes } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { CreateRefundRequest, RefundView } from './dto/payment.dto.js';
import { CreateRefundService } from './use-cases/create-refund/create-refund.service.js';

@ApiTags('Refunds')
@Controller('v1/refunds')
@RequireScopes('payments:write')
export class RefundsController {
  constructor(private readonly refunds: CreateRefundService) {}

  @Post()
  @ApiOperation({
    summary: 'Refund a payment in full or in part (receiver)',
    description:
      'The money returns to the payer’s wallet and the mandate’s spent figures go down. The platform fee is ' +
      'given back in proportion: after refunds totalling R of a payment of amount A and fee F, F × R / A ' +
      '(half-even to the nano) has been given back. A refund succeeds even when your balance is short; the ' +
      'shortfall shows as a negative balance that later payments cover before any payout.',
  })
  @ApiCreatedResponse({ type: RefundView })
  @ApiErrors(400, 403, 404)
  create(@CurrentAccount() accountId: string, @Body() body: CreateRefundRequest): Promise<RefundView> {
    return this.refunds.create(accountId, body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a refund you made' })
  @ApiOkResponse({ type: RefundView })
  @ApiErrors(404)
  get(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<RefundView> {
    return this.refunds.get(accountId, id);
  }
}
