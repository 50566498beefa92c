import { Controller, Get, Header, Inject, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../common/auth/auth.decorators.js';
import { ApiError } from '../common/errors/api-error.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { verifyOnboardingToken } from '../providers/local-onboarding-token.js';
import { AccountsService } from './accounts.service.js';

/** The local rail's verification page: opening a valid link verifies the account. */
@ApiExcludeController()
@Controller('v1/onboarding/local')
export class LocalOnboardingController {
  constructor(
    private readonly accounts: AccountsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':token')
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async complete(@Param('token') token: string): Promise<string> {
    const accountId = verifyOnboardingToken(this.config.adminApiKey, token);
    if (!accountId) throw ApiError.badRequest('onboarding_link_invalid', 'This onboarding link is invalid or expired.');
    await this.accounts.applyProviderVerification(accountId, {
      verified: true,
      chargesEnabled: true,
      payoutsEnabled: true,
    });
    return '<!doctype html><title>Verified</title><p>Your account is verified. You can close this page.</p>';
  }
}
