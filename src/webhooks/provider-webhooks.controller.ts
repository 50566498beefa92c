import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { ProviderEventReceiptView } from './dto/webhook-endpoint.dto.js';
import { ProviderEventsService } from './provider-events.service.js';

@ApiTags('Inbound webhooks')
@Controller('v1/webhooks')
export class ProviderWebhooksController {
  constructor(private readonly providerEvents: ProviderEventsService) {}

  @Post('stripe')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Receive a Stripe webhook',
    description:
      'Verified against the raw body with STRIPE_WEBHOOK_SECRET, stored once by event id and applied ' +
      'asynchronously; a repeated event is acknowledged and not applied again.',
  })
  @ApiHeader({ name: 'Stripe-Signature', required: true })
  @ApiBody({ description: 'The Stripe event, exactly as Stripe sent it.', schema: { type: 'object' } })
  @ApiOkResponse({ type: ProviderEventReceiptView })
  @ApiErrors(400, 404)
  receiveStripe(
    @Req() request: Request,
    @Headers('stripe-signature') signature: string | undefined,
  ): Promise<ProviderEventReceiptView> {
    const body: unknown = request.body;
    return this.providerEvents.receiveStripe(Buffer.isBuffer(body) ? body : Buffer.alloc(0), signature);
  }
}
