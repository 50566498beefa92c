import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, RequireScopes } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { ListQuery, pageLimit } from '../common/pagination/pagination.js';
import { CreateTopUpRequest, TopUpListView, TopUpView, WalletView } from './dto/wallet.dto.js';
import { CreateTopUpService } from './use-cases/create-top-up/create-top-up.service.js';
import { WalletsService } from './wallets.service.js';

@ApiTags('Wallet')
@Controller('v1/wallet')
@RequireScopes()
export class WalletsController {
  constructor(
    private readonly wallets: WalletsService,
    private readonly createTopUp: CreateTopUpService,
  ) {}

  @Get()
  @ApiOperation({ summary: "Your wallet's available and held balance per currency" })
  @ApiOkResponse({ type: WalletView })
  @ApiErrors()
  get(@CurrentAccount() accountId: string): Promise<WalletView> {
    return this.wallets.getWallet(accountId);
  }

  @Post('top_ups')
  @ApiOperation({
    summary: 'Add money to your wallet',
    description:
      'Local rail: credited at once, unless `test_outcome` asks for `pending` (settled later through ' +
      '`/v1/test_helpers/top_ups/{id}/succeed` or `/fail`) or `fail` (declined at once, `card_declined`). Stripe: ' +
      'returns a PaymentIntent client secret; the wallet is credited when Stripe reports the payment succeeded.',
  })
  @ApiCreatedResponse({ type: TopUpView })
  @ApiErrors(400, 403)
  create(@CurrentAccount() accountId: string, @Body() body: CreateTopUpRequest): Promise<TopUpView> {
    return this.createTopUp.create(accountId, body);
  }

  @Get('top_ups')
  @ApiOperation({ summary: 'List your top-ups' })
  @ApiOkResponse({ type: TopUpListView })
  @ApiErrors(400)
  list(@CurrentAccount() accountId: string, @Query() query: ListQuery) {
    return this.wallets.listTopUps(accountId, pageLimit(query), query.starting_after);
  }

  @Get('top_ups/:id')
  @ApiOperation({ summary: 'Retrieve a top-up' })
  @ApiOkResponse({ type: TopUpView })
  @ApiErrors(404)
  getTopUp(@CurrentAccount() accountId: string, @Param('id') id: string): Promise<TopUpView> {
    return this.wallets.getTopUp(accountId, id);
  }
}
