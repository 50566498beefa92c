import { Inject, Injectable, Logger } from '@nestjs/common';
import { splitMinorUnits } from '../../../../libs/money/src/index.js';
import { AccountsService } from '../../../accounts/accounts.service.js';
import { Clock } from '../../../common/clock/clock.js';
import type { AppConfig } from '../../../config/app-config.js';
import { APP_CONFIG } from '../../../config/config.tokens.js';
import { PAYMENT_PROVIDER } from '../../../providers/payment-provider.js';
import type { PaymentProvider } from '../../../providers/payment-provider.js';
import { RailRejectedError } from '../../../providers/payout-rail.js';
import { MicroBatcher } from '../../micro-batcher.js';
import type { Payout } from '../../payout.entity.js';
import { PayoutsRepository } from '../../payouts.repository.js';
import { ApplyPayoutUpdateService, PayoutOutcome } from '../apply-payout-update/apply-payout-update.service.js';

/** Payouts handed to the provider together; the queue's concurrency decides how many can gather. */
const BATCH_MAX = 100;
const BATCH_WAIT_MS = 5;

/**
 * The worker's half of a payout: hand it to the provider, then record the answer. Safe to run any number of
 * times. The provider call carries an idempotency key derived from the payout id and each rail looks up what it
 * already did for that key before acting, so a worker that dies between the call and the commit (or a job run
 * twice) finds the first transfer instead of making a second. Retryable provider errors (5xx, timeouts, rate
 * limits) fail the job so BullMQ retries it with backoff; a refusal fails the payout.
 *
 * Concurrent jobs are served in micro-batches: one claim statement, one call of the rail, one database
 * transaction for the outcomes. Each job still succeeds or fails on its own payout's outcome.
 */
@Injectable()
export class SubmitPayoutService {
  private readonly logger = new Logger(SubmitPayoutService.name);
  private readonly batcher = new MicroBatcher<string>((ids) => this.submitBatch(ids), BATCH_MAX, BATCH_WAIT_MS);

  constructor(
    private readonly payouts: PayoutsRepository,
    private readonly accounts: AccountsService,
    private readonly apply: ApplyPayoutUpdateService,
    private readonly clock: Clock,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  submit(payoutId: string): Promise<void> {
    return this.batcher.add(payoutId);
  }

  private async submitBatch(ids: string[]): Promise<Map<string, unknown>> {
    const failures = new Map<string, unknown>();
    // Payouts no longer pending (already answered, or canceled) drop out here: nothing to do for them.
    const payouts = await this.payouts.claimForSubmission([...new Set(ids)], this.provider.name, this.clock.now());
    if (payouts.length === 0) return failures;
    const connected = await this.connectedAccounts(payouts);
    const answers = await this.provider.createPayouts(
      payouts.map((payout) => ({
        payoutId: payout.id,
        idempotencyKey: payout.idempotencyKey,
        accountId: payout.accountId,
        providerAccountId: connected.get(payout.accountId) ?? null,
        amountMinor: splitMinorUnits(payout.amount, payout.currency).minorUnits,
        currency: payout.currency,
        destination: payout.destination,
      })),
    );
    if (this.config.faultInjection === 'crash_after_payout_provider_call') {
      // Fault tests: die the hardest way between the provider's answer and our commit.
      process.kill(process.pid, 'SIGKILL');
    }
    const outcomes: Array<{ payoutId: string; outcome: PayoutOutcome }> = [];
    payouts.forEach((payout, index) => {
      const answer = answers[index];
      if (answer instanceof RailRejectedError) {
        this.logger.warn({ msg: `The provider refused payout ${payout.id}: ${answer.message}`, code: answer.code });
        outcomes.push({
          payoutId: payout.id,
          outcome: {
            status: 'failed',
            providerTransferId: answer.providerTransferId,
            failureCode: answer.code,
            failureMessage: answer.message,
          },
        });
      } else if (answer instanceof Error) {
        failures.set(payout.id, answer);
      } else {
        outcomes.push({
          payoutId: payout.id,
          outcome: {
            status: answer.status,
            providerPayoutId: answer.providerPayoutId,
            providerTransferId: answer.providerTransferId,
            failureCode: answer.failureCode,
            failureMessage: answer.failureMessage,
            arrivalDate: answer.arrivalDate,
          },
        });
      }
    });
    try {
      await this.apply.applyMany(outcomes);
    } catch (error) {
      // One payout's trouble must not hold back the others: record them one by one.
      this.logger.warn({
        msg: 'Recording a batch of payout outcomes failed; recording them one by one.',
        error: String(error),
      });
      for (const { payoutId, outcome } of outcomes) {
        await this.apply.applyMany([{ payoutId, outcome }]).catch((single: unknown) => failures.set(payoutId, single));
      }
    }
    return failures;
  }

  /** Stripe pays through each receiver's connected account; the local rail needs none. */
  private async connectedAccounts(payouts: Payout[]): Promise<Map<string, string | null>> {
    const found = new Map<string, string | null>();
    if (this.provider.name !== 'stripe') return found;
    for (const accountId of new Set(payouts.map((payout) => payout.accountId))) {
      found.set(accountId, (await this.accounts.requireAccount(accountId)).providerAccountId);
    }
    return found;
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
