import { Global, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { LocalPaymentProvider } from './local-payment.provider.js';
import { PAYMENT_PROVIDER } from './payment-provider.js';

@Global()
@Module({
  providers: [
    LocalPaymentProvider,
    {
      provide: PAYMENT_PROVIDER,
      inject: [APP_CONFIG, LocalPaymentProvider],
      useFactory: (config: AppConfig, local: LocalPaymentProvider) => {
        if (config.paymentProvider === 'stripe') {
          throw new Error('PAYMENT_PROVIDER=stripe: the Stripe adapter is not wired yet.');
        }
        return local;
      },
    },
  ],
  exports: [PAYMENT_PROVIDER],
})
export class ProvidersModule {}
