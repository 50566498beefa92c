import { Inject, Injectable, Logger } from '@nestjs/common';
import { splitMinorUnits } from '../../../../libs/money/src/index.js';
import { AccountsService } from '../../../accounts/accounts.service.js';
import { ApiError } from '../../../common/errors/api-error.js';
import { newId } from '../../../common/ids.js';
import { parseMoneyParam } from '../../../common/validation/parse-money-param.js';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import { LedgerService } from '../../../ledger/ledger.service.js';
import { PAYMENT_PROVIDER } from '../../../providers/payment-provider.js';
import type { PaymentProvider, TopUpResult } from '../../../providers/payment-provider.js';
import type { CreateTopUpRequest, TopUpView } from '../../dto/wallet.dto.js';
import { TopUp } from '../../top-up.entity.js';
import { testHelpersUnavailable } from '../../top-up.errors.js';
import { presentTopUp } from '../../top-up.presenter.js';
import { WalletsRepository } from '../../wallets.repository.js';
import { CompleteTopUpService } from '../complete-top-up/complete-top-up.service.js';

/**
 * Starts a top-up: records it pending, asks the provider to collect, and credits the wallet only when the
 * provider reports success (the local rail at once, or through a test helper for `test_outcome: pending`; Stripe
 * through its webhook, see TopUpProviderEvents).
 */
@Injectable()
export class CreateTopUpService {
  private readonly logger = new Logger(CreateTopUpService.name);

  constructor(
    private readonly accounts: AccountsService,
    private readonly repository: WalletsRepository,
    private readonly complete: CompleteTopUpService,
    private readonly ledger: LedgerService,
    private readonly transactions: TransactionRunner,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
  ) {}

  async create(accountId: string, request: CreateTopUpRequest): Promise<TopUpView> {
    const amount = parseMoneyParam(request.amount, 'amount', { minorUnitsOf: request.currency });
    if (request.test_outcome !== undefined && this.provider.name !== 'local') {
      throw testHelpersUnavailable(this.provider.name, 'test_outcome');
    }
    const account = await this.accounts.requireAccount(accountId);
    if (!account.capabilities.includes('pay')) {
      throw ApiError.forbidden('pay_capability_required', 'Only an account with the pay capability has a wallet.');
    }
    const now = new Date();
    const topUp = Object.assign(new TopUp(), {
      id: newId('tu'),
      accountId,
      currency: request.currency,
      amount,
      status: 'pending',
      provider: this.provider.name,
      providerPaymentId: null,
      clientSecret: null,
      failureCode: null,
      failureMessage: null,
      ledgerTransactionId: null,
      metadata: request.metadata ?? {},
      createdAt: now,
      updatedAt: now,
      completedAt: null,
    } satisfies TopUp);
    await this.transactions.run(async (manager) => {
      await this.repository.ensureWallet(manager, accountId, request.currency);
      await this.ledger.openAccount({ owner: accountId, purpose: 'wallet', currency: request.currency }, manager);
      await this.repository.insertTopUp(manager, topUp);
    });
    // The provider call happens outside any transaction; a retry reuses the idempotency key.
    let result: TopUpResult;
    try {
      result = await this.provider.createTopUp({
        topUpId: topUp.id,
        accountId,
        amountMinor: splitMinorUnits(amount, request.currency).minorUnits,
        currency: request.currency,
        idempotencyKey: `top_up:${topUp.id}`,
        testOutcome: request.test_outcome,
      });
    } catch (error) {
      this.logger.warn(`Top-up ${topUp.id} could not be started at the provider: ${(error as Error).message}`);
      const failed = await this.complete.complete(
        { topUpId: topUp.id },
        { status: 'failed', code: 'provider_error', message: 'The payment provider refused or could not be reached.' },
      );
      return presentTopUp(failed ?? topUp);
    }
    const current =
      result.status === 'pending'
        ? await this.complete.attachProviderPayment(topUp.id, result.providerReference, result.clientSecret)
        : await this.complete.complete(
            { topUpId: topUp.id },
            result.status === 'succeeded'
              ? { status: 'succeeded' }
              : {
                  status: 'failed',
                  code: result.failureCode ?? 'payment_failed',
                  message: result.failureMessage ?? 'The payment provider declined the payment.',
                },
            undefined,
            result.providerReference,
          );
    return presentTopUp(current ?? topUp);
  }
}
