import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { ProviderEventHandlers } from '../webhooks/provider-event-handlers.js';
import { eventObject, type ProviderEvent } from './provider-event.js';
import { StripePaymentProvider } from './stripe-payment.provider.js';

/** `account.updated` from Stripe Connect moves the receiver's capabilities. */
@Injectable()
export class StripeAccountEventsHandler implements OnModuleInit {
  private readonly logger = new Logger(StripeAccountEventsHandler.name);

  constructor(
    private readonly handlers: ProviderEventHandlers,
    private readonly accounts: AccountsService,
    private readonly stripe: StripePaymentProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (this.config.stripeSecretKey) this.handlers.register('account.updated', (event) => this.accountUpdated(event));
  }

  private async accountUpdated(event: ProviderEvent): Promise<void> {
    const connectedAccountId = String(eventObject(event).id ?? event.providerAccountId ?? '');
    const account = connectedAccountId ? await this.accounts.findByProviderAccount(connectedAccountId) : null;
    if (!account) {
      this.logger.warn({ msg: `account.updated for unknown Stripe account ${connectedAccountId}; ignored.` });
      return;
    }
    // The current state, not the event's snapshot: a late, older event must not undo a newer one.
    const status = await this.stripe.connectedAccountStatus(connectedAccountId);
    await this.accounts.applyProviderVerification(account.id, {
      verified: status.detailsSubmitted && status.chargesEnabled,
      chargesEnabled: status.chargesEnabled,
      payoutsEnabled: status.payoutsEnabled,
    });
  }
}
