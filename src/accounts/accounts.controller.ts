import { Body, Controller, Get, HttpCode, Patch, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentAccount, Public, RequireScopes } from '../common/auth/auth.decorators.js';
import { principalOf } from '../common/auth/principal.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { AccountsService } from './accounts.service.js';
import {
  AccountView,
  CreateAccountRequest,
  OnboardingLinkView,
  SignupView,
  UpdateAccountRequest,
} from './dto/account.dto.js';

@ApiTags('Accounts')
@Controller('v1')
@RequireScopes()
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('accounts')
  @Public()
  @ApiOperation({
    summary: 'Sign up: create an account and its first secret key',
    description: 'Open when ALLOW_SIGNUP=true; otherwise only the operator key may call it. The secret is shown once.',
  })
  @ApiCreatedResponse({ type: SignupView })
  @ApiErrors(400, 403)
  signup(@Body() body: CreateAccountRequest, @Req() request: Request): Promise<SignupView> {
    return this.accounts.signup(body, principalOf(request)?.kind === 'admin');
  }

  @Get('account')
  @ApiOperation({ summary: 'Retrieve the account of the calling key' })
  @ApiOkResponse({ type: AccountView })
  @ApiErrors()
  get(@CurrentAccount() accountId: string): Promise<AccountView> {
    return this.accounts.getAccount(accountId);
  }

  @Patch('account')
  @ApiOperation({ summary: 'Update the account of the calling key' })
  @ApiOkResponse({ type: AccountView })
  @ApiErrors(400, 403)
  update(@CurrentAccount() accountId: string, @Body() body: UpdateAccountRequest): Promise<AccountView> {
    return this.accounts.updateAccount(accountId, body);
  }

  @Post('account/onboarding_links')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Get a link where the account completes verification',
    description:
      'Local rail: a page served by this app that verifies the account (immediate with LOCAL_AUTO_VERIFY=true). ' +
      'Stripe: an Express connected account and a Stripe account link; `account.updated` updates the capabilities.',
  })
  @ApiCreatedResponse({ type: OnboardingLinkView })
  @ApiErrors(400, 403)
  onboardingLink(@CurrentAccount() accountId: string): Promise<OnboardingLinkView> {
    return this.accounts.createOnboardingLink(accountId);
  }
}
