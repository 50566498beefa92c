import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../../../common/errors/api-error.js';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import { PAYMENT_PROVIDER } from '../../../providers/payment-provider.js';
import type { PaymentProvider } from '../../../providers/payment-provider.js';
import type { TopUpView } from '../../dto/wallet.dto.js';
import { testHelpersUnavailable, topUpNotPending } from '../../top-up.errors.js';
import { presentTopUp } from '../../top-up.presenter.js';
import { WalletsRepository } from '../../wallets.repository.js';
import { CompleteTopUpService, type TopUpOutcome } from '../complete-top-up/complete-top-up.service.js';

/**
 * The local rail's test control (like Stripe's test helpers): succeeds or fails one of the caller's pending
 * top-ups, as the provider's verdict would. The row is locked and its state re-checked before CompleteTopUpService
 * applies the verdict in the same transaction, so of concurrent calls exactly one settles the top-up (one credit,
 * one event) and the others answer 409 `top_up_not_pending`.
 */
@Injectable()
export class SettleTestTopUpService {
  constructor(
    private readonly repository: WalletsRepository,
    private readonly complete: CompleteTopUpService,
    private readonly transactions: TransactionRunner,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
  ) {}

  async settle(accountId: string, topUpId: string, outcome: TopUpOutcome): Promise<TopUpView> {
    if (this.provider.name !== 'local') throw testHelpersUnavailable(this.provider.name);
    const settled = await this.transactions.run(async (tx) => {
      const topUp = await this.repository.lockAccountTopUp(tx, accountId, topUpId);
      if (!topUp) throw ApiError.notFound('top_up', topUpId);
      // A top-up started on Stripe before the server moved to the local rail is still Stripe's to settle.
      if (topUp.provider !== 'local') throw testHelpersUnavailable(topUp.provider);
      if (topUp.status !== 'pending') throw topUpNotPending(topUp);
      return (await this.complete.complete({ topUpId }, outcome, tx)) ?? topUp;
    });
    return presentTopUp(settled);
  }
}
