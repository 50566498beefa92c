import { Injectable } from '@nestjs/common';
import { ApiError } from '../common/errors/api-error.js';
import { ListPage, toPage } from '../common/pagination/pagination.js';
import type { PayoutView } from './dto/payout.dto.js';
import type { Payout, PayoutStatus } from './payout.entity.js';
import { presentPayout } from './payout.presenter.js';
import { PayoutsRepository } from './payouts.repository.js';

/** Reads of payouts; every change goes through a use case. */
@Injectable()
export class PayoutsService {
  constructor(private readonly payouts: PayoutsRepository) {}

  async get(accountId: string, id: string): Promise<PayoutView> {
    return presentPayout(await this.require(accountId, id));
  }

  async require(accountId: string, id: string): Promise<Payout> {
    const payout = await this.payouts.find(accountId, id);
    if (!payout) throw ApiError.notFound('payout', id);
    return payout;
  }

  async list(
    accountId: string,
    filter: { status?: PayoutStatus; limit: number; startingAfter?: string },
  ): Promise<ListPage<PayoutView>> {
    return toPage(await this.payouts.list(accountId, filter), filter.limit, presentPayout);
  }
}
