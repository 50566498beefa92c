import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, RequireScopes } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { pageLimit } from '../common/pagination/pagination.js';
import { CreatePaymentRequest, PaymentListQuery, PaymentListView, PaymentView } from './dto/payment.dto.js';
import { PaymentsService } from './payments.service.js';
import { CreatePaymentService } from './use-cases/create-payment/create-payment.service.js';
import { CancelPaymentService } from './use-cases/settle-payment/cancel-payment.service.js';
import { ConfirmPaymentService } from './use-cases/settle-payment/confirm-payment.service.js';

@ApiTags('Payments')
@Controller('v1/payments')
export class PaymentsController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly createPayment: CreatePaymentService,
    private readonly confirmPayment: ConfirmPaymentService,
    private readonly cancelPayment: CancelPaymentService,
  ) {}

  @Post()
  @RequireScopes('payments:write')
  @ApiOperation({
    summary: 'Charge a mandate (receiver)',
    description:
      'The outcome is in `status`: `succeeded` (money moved), `failed` with a `decline_code` (recorded, nothing ' +
      'moved), or `requires_confirmation` (above the mandate threshold: the amount is held until the payer ' +
      'confirms or cancels, or the confirmation window closes).',
  })
  @ApiCreatedResponse({ type: PaymentView })
  @ApiErrors(400, 403, 404)
  create(@CurrentAccount() accountId: string, @Body() body: CreatePaymentRequest): Promise<PaymentView> {
    return this.createPayment.create(accountId, body);
  }

  @Get()
  @RequireScopes()
  @ApiOperation({ summary: 'List payments you made or received, each in your view' })
  @ApiOkResponse({ type: PaymentListView })
  @ApiErrors(400)
  list(@CurrentAccount() accountId: string, @Query() query: PaymentListQuery) {
    return this.payments.list(accountId, query.role, pageLimit(query), query.starting_after);
  }

  @Get(':id')
  @RequireScopes()
  @ApiOperation({ summary: 'Retrieve a payment you made or received' })
  @ApiOkResponse({ type: PaymentView })
  @ApiErrors(404)
  get(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<PaymentView> {
    return this.payments.get(accountId, id);
  }

  @Post(':id/confirm')
  @RequireScopes()
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm a payment awaiting your confirmation (payer): the held amount is paid' })
  @ApiOkResponse({ type: PaymentView })
  @ApiErrors(403, 404, 409)
  confirm(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<PaymentView> {
    return this.confirmPayment.confirm(accountId, id);
  }

  @Post(':id/cancel')
  @RequireScopes()
  @HttpCode(200)
  @ApiOperation({ summary: 'Refuse (payer) or withdraw (receiver) a payment awaiting confirmation' })
  @ApiOkResponse({ type: PaymentView })
  @ApiErrors(404, 409)
  cancel(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<PaymentView> {
    return this.cancelPayment.cancel(accountId, id);
  }
}
