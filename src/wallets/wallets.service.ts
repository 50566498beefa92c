import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { formatAmount } from '../../libs/money/src/index.js';
import { ApiError } from '../common/errors/api-error.js';
import { ListPage, toPage } from '../common/pagination/pagination.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { TopUpView, WalletView } from './dto/wallet.dto.js';
import { presentTopUp } from './top-up.presenter.js';
import { WalletsRepository } from './wallets.repository.js';

@Injectable()
export class WalletsService {
  constructor(
    private readonly repository: WalletsRepository,
    private readonly ledger: LedgerService,
  ) {}

  async getWallet(accountId: string): Promise<WalletView> {
    const currencies = await this.repository.walletCurrencies(accountId);
    const balances = await Promise.all(
      currencies.map(async (currency) => {
        const balance = await this.ledger.balance({ owner: accountId, purpose: 'wallet', currency });
        return {
          available: formatAmount(balance.available, currency),
          currency,
          held: formatAmount(balance.pending, currency),
        };
      }),
    );
    return { object: 'wallet', account: accountId, balances };
  }

  /**
   * Records, in the caller's transaction, that the account holds a wallet in this currency, for money that
   * reaches a wallet other than by a top-up (an incentive credit), so the wallet lists it.
   */
  async ensureWallet(manager: EntityManager, accountId: string, currency: string): Promise<void> {
    await this.repository.ensureWallet(manager, accountId, currency);
  }

  async getTopUp(accountId: string, id: string): Promise<TopUpView> {
    const topUp = await this.repository.findTopUp(accountId, id);
    if (!topUp) throw ApiError.notFound('top_up', id);
    return presentTopUp(topUp);
  }

  async listTopUps(accountId: string, limit: number, startingAfter?: string): Promise<ListPage<TopUpView>> {
    return toPage(await this.repository.listTopUps(accountId, limit, startingAfter), limit, presentTopUp);
  }
}
