import { Controller, Get, Header, Inject, Param, Redirect } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AccountsService } from '../accounts/accounts.service.js';
import { Public } from '../common/auth/auth.decorators.js';
import { ApiError } from '../common/errors/api-error.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { verifyStripeRefreshToken } from './stripe-onboarding-token.js';

/** The pages Stripe sends a receiver back to from its hosted onboarding. */
@ApiExcludeController()
@Controller('v1/onboarding/stripe')
export class StripeOnboardingController {
  constructor(
    private readonly accounts: AccountsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('return')
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  done(): string {
    return (
      '<!doctype html><title>Onboarding submitted</title><p>Thank you. Stripe is reviewing your details; ' +
      'your account is updated as soon as Stripe confirms. You can close this page.</p>'
    );
  }

  /** Account links expire within minutes; Stripe sends the receiver here to get a fresh one. */
  @Get('refresh/:token')
  @Public()
  @Redirect()
  async refresh(@Param('token') token: string): Promise<{ url: string; statusCode: number }> {
    const accountId = verifyStripeRefreshToken(this.config.adminApiKey, token);
    if (!accountId) throw ApiError.badRequest('onboarding_link_invalid', 'This onboarding link is invalid or expired.');
    const link = await this.accounts.createOnboardingLink(accountId);
    return { url: link.url, statusCode: 303 };
  }
}
