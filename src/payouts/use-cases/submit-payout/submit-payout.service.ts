import { Inject, Injectable, Logger } from '@nestjs/common';
import { splitMinorUnits } from '../../../../libs/money/src/index.js';
import { AccountsService } from '../../../accounts/accounts.service.js';
import { Clock } from '../../../common/clock/clock.js';
import type { AppConfig } from '../../../config/app-config.js';
import { APP_CONFIG } from '../../../config/config.tokens.js';
import { PAYMENT_PROVIDER } from '../../../providers/payment-provider.js';
import type { PaymentProvider } from '../../../providers/payment-provider.js';
import { PayoutResult, RailRejectedError } from '../../../providers/payout-rail.js';
import { PayoutsRepository } from '../../payouts.repository.js';
import { ApplyPayoutUpdateService } from '../apply-payout-update/apply-payout-update.service.js';

/**
 * The worker's half of a payout: hand it to the provider, then record the answer. Safe to run any number of
 * times. The provider call carries an idempotency key derived from the payout id and each rail looks up what it
 * already did for that key before acting, so a worker that dies between the call and the commit (or a job run
 * twice) finds the first transfer instead of making a second. Retryable provider errors (5xx, timeouts, rate
 * limits) propagate so BullMQ retries with backoff; a refusal fails the payout.
 */
@Injectable()
export class SubmitPayoutService {
  private readonly logger = new Logger(SubmitPayoutService.name);

  constructor(
    private readonly payouts: PayoutsRepository,
    private readonly accounts: AccountsService,
    private readonly apply: ApplyPayoutUpdateService,
    private readonly clock: Clock,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async submit(payoutId: string): Promise<void> {
    const payout = await this.payouts.claimForSubmission(payoutId, this.clock.now());
    if (!payout) return; // already sent and answered, or canceled
    const account = await this.accounts.requireAccount(payout.accountId);
    let result: PayoutResult;
    try {
      result = await this.provider.createPayout({
        payoutId: payout.id,
        idempotencyKey: payout.idempotencyKey,
        accountId: payout.accountId,
        providerAccountId: account.providerAccountId,
        amountMinor: splitMinorUnits(payout.amount, payout.currency).minorUnits,
        currency: payout.currency,
        destination: payout.destination,
      });
    } catch (error) {
      if (!(error instanceof RailRejectedError)) throw error;
      this.logger.warn({ msg: `The provider refused payout ${payout.id}: ${error.message}`, code: error.code });
      await this.apply.apply(
        payout.provider,
        { payoutId: payout.id },
        {
          status: 'failed',
          providerTransferId: error.providerTransferId,
          failureCode: error.code,
          failureMessage: error.message,
        },
      );
      return;
    }
    if (this.config.faultInjection === 'crash_after_payout_provider_call') {
      // Fault tests: die the hardest way between the provider's answer and our commit.
      process.kill(process.pid, 'SIGKILL');
    }
    await this.apply.apply(
      payout.provider,
      { payoutId: payout.id },
      {
        status: result.status,
        providerPayoutId: result.providerPayoutId,
        providerTransferId: result.providerTransferId,
        failureCode: result.failureCode,
        failureMessage: result.failureMessage,
        arrivalDate: result.arrivalDate,
      },
    );
  }

  /** After a Stripe payout failed or was returned: move the transferred funds back to the platform, once. */
  async reverseTransfer(payoutId: string): Promise<void> {
    const payout = await this.payouts.findAny(payoutId);
    if (!payout || payout.status !== 'failed' || !payout.providerTransferId) return;
    const account = await this.accounts.requireAccount(payout.accountId);
    await this.provider.reversePayoutTransfer({
      payoutId: payout.id,
      idempotencyKey: `${payout.idempotencyKey}-reversal`,
      providerAccountId: account.providerAccountId,
      providerTransferId: payout.providerTransferId,
      amountMinor: splitMinorUnits(payout.amount, payout.currency).minorUnits,
      currency: payout.currency,
    });
  }
}
