import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAccount, RequireScopes } from '../../common/auth/auth.decorators.js';
import { ApiErrors } from '../../common/openapi/api-errors.decorator.js';
import { BillQuery, BillView } from './bill.dto.js';
import { BillsService } from './bills.service.js';

@ApiTags('Bills')
@Controller('v1/bills')
@RequireScopes()
export class BillsController {
  constructor(private readonly bills: BillsService) {}

  @Get()
  @ApiOperation({
    summary: 'Your AI bill (payer): what your agents spent in a period, grouped by agent, payee, mandate or day',
    description:
      'Payments count when their money moved (at once, or at confirmation); refunds when they were made. ' +
      'Declined attempts and payments awaiting your confirmation are listed separately and moved no money.',
  })
  @ApiOkResponse({ type: BillView })
  @ApiErrors(400)
  get(@CurrentAccount() accountId: string, @Query() query: BillQuery): Promise<BillView> {
    return this.bills.bill(accountId, query);
  }
}
