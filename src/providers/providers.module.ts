import { Global, Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { LocalBankRail } from './local-bank-rail.js';
import { LocalBankRepository } from './local-bank.repository.js';
import { LocalPaymentProvider } from './local-payment.provider.js';
import { PAYMENT_PROVIDER } from './payment-provider.js';
import { StripeAccountEventsHandler } from './stripe-account-events.handler.js';
import { createStripeClient, STRIPE_CLIENT } from './stripe-client.js';
import { StripeOnboardingController } from './stripe-onboarding.controller.js';
import { StripePaymentProvider } from './stripe-payment.provider.js';
import { StripeWebhookVerifier } from './stripe-webhook-verifier.js';

@Global()
@Module({
  imports: [AccountsModule],
  controllers: [StripeOnboardingController],
  providers: [
    LocalPaymentProvider,
    LocalBankRepository,
    LocalBankRail,
    { provide: STRIPE_CLIENT, inject: [APP_CONFIG], useFactory: createStripeClient },
    StripePaymentProvider,
    StripeWebhookVerifier,
    StripeAccountEventsHandler,
    {
      provide: PAYMENT_PROVIDER,
      inject: [APP_CONFIG, LocalPaymentProvider, StripePaymentProvider],
      useFactory: (config: AppConfig, local: LocalPaymentProvider, stripe: StripePaymentProvider) =>
        config.paymentProvider === 'stripe' ? stripe : local,
    },
  ],
  exports: [PAYMENT_PROVIDER, StripeWebhookVerifier],
})
export class ProvidersModule {}
