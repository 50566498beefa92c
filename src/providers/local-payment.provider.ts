import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { LocalBankRail } from './local-bank-rail.js';
import { signOnboardingToken } from './local-onboarding-token.js';
import type {
  OnboardingAccount,
  OnboardingLink,
  PaymentProvider,
  TopUpRequest,
  TopUpResult,
} from './payment-provider.js';
import type { PayoutRequest, PayoutResult, PayoutUpdate, RailStatementLine, StatementQuery } from './payout-rail.js';

const LINK_TTL_MS = 24 * 3600 * 1000;

/** How the local rail declines a top-up (at creation with `test_outcome: fail`, or by default in the fail helper). */
export const LOCAL_TOP_UP_DECLINE = { code: 'card_declined', message: 'The card was declined.' } as const;

/** The built-in rail: verification happens on a page this app serves (or at once with LOCAL_AUTO_VERIFY). */
@Injectable()
export class LocalPaymentProvider implements PaymentProvider {
  readonly name = 'local' as const;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async createOnboardingLink(account: OnboardingAccount): Promise<OnboardingLink> {
    const expiresAt = new Date(Date.now() + LINK_TTL_MS);
    const token = signOnboardingToken(this.config.adminApiKey, account.id, expiresAt);
    return {
      url: `${this.config.publicBaseUrl}/v1/onboarding/local/${encodeURIComponent(token)}`,
      providerAccountId: null,
      verified: this.config.localAutoVerify,
      expiresAt,
    };
  }

  /**
   * The simulated bank collects at once unless the request asks for another test outcome: `pending` leaves the
   * top-up for a test helper to succeed or fail, `fail` declines it. The reference is derived from the top-up so a
   * retry reuses it.
   */
  async createTopUp(request: TopUpRequest): Promise<TopUpResult> {
    const providerReference = `local_${request.topUpId}`;
    switch (request.testOutcome ?? 'succeed') {
      case 'succeed':
        return { status: 'succeeded', providerReference, clientSecret: null };
      case 'pending':
        return { status: 'pending', providerReference, clientSecret: null };
      case 'fail':
        return {
          status: 'failed',
          providerReference,
          clientSecret: null,
          failureCode: LOCAL_TOP_UP_DECLINE.code,
          failureMessage: LOCAL_TOP_UP_DECLINE.message,
        };
    }
  }

  /** Payouts go through the simulated bank (local-bank-rail.ts). */
  @Inject(LocalBankRail) private readonly bank!: LocalBankRail;

  createPayouts(requests: PayoutRequest[]): Promise<Array<PayoutResult | Error>> {
    return this.bank.createPayouts(requests);
  }

  /** Nothing to reverse: the local rail pays straight from the platform, without a transfer. */
  async reversePayoutTransfer(): Promise<void> {}

  pollPayoutUpdates(limit: number): Promise<PayoutUpdate[]> {
    return this.bank.pollUpdates(limit);
  }

  acknowledgePayoutUpdate(update: PayoutUpdate): Promise<void> {
    return this.bank.acknowledge(update);
  }

  payoutStatement(query: StatementQuery): Promise<RailStatementLine[]> {
    return this.bank.statement(query.from, query.to);
  }
}
