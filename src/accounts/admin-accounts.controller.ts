import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/auth/auth.decorators.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { ListQuery, pageLimit } from '../common/pagination/pagination.js';
import { AccountsService } from './accounts.service.js';
import { AccountListView, AdminAccountView } from './dto/account.dto.js';
import { UpdateAccountFeesRequest } from './dto/admin-account.dto.js';

@ApiTags('Admin: accounts')
@Controller('v1/admin/accounts')
@AdminOnly()
export class AdminAccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @ApiOperation({ summary: 'List all accounts (operator)' })
  @ApiOkResponse({ type: AccountListView })
  @ApiErrors(400, 403)
  list(@Query() query: ListQuery) {
    return this.accounts.listForOperator(pageLimit(query), query.starting_after);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve any account (operator)' })
  @ApiOkResponse({ type: AdminAccountView })
  @ApiErrors(403, 404)
  get(@Param('id') id: string): Promise<AdminAccountView> {
    return this.accounts.getForOperator(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Override an account's platform fee (operator)" })
  @ApiOkResponse({ type: AdminAccountView })
  @ApiErrors(400, 403, 404)
  update(@Param('id') id: string, @Body() body: UpdateAccountFeesRequest): Promise<AdminAccountView> {
    return this.accounts.setFees(id, body);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Suspend an account: its keys get 403 account_suspended (operator)' })
  @ApiOkResponse({ type: AdminAccountView })
  @ApiErrors(403, 404)
  suspend(@Param('id') id: string): Promise<AdminAccountView> {
    return this.accounts.setStatus(id, 'suspended');
  }

  @Post(':id/reinstate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reinstate a suspended account (operator)' })
  @ApiOkResponse({ type: AdminAccountView })
  @ApiErrors(403, 404)
  reinstate(@Param('id') id: string): Promise<AdminAccountView> {
    return this.accounts.setStatus(id, 'active');
  }
}
