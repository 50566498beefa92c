import { Injectable } from '@nestjs/common';
import { AccountsService } from '../../../accounts/accounts.service.js';
import { ApiError } from '../../../common/errors/api-error.js';
import { newId } from '../../../common/ids.js';
import { ListPage, toPage } from '../../../common/pagination/pagination.js';
import { parseMoneyParam } from '../../../common/validation/parse-money-param.js';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import { MandateSpendService } from '../../../mandates/use-cases/spend-from-mandate/spend-from-mandate.service.js';
import { FeeCalculator } from '../../../payments/fees/fee-calculator.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import { presentAuthorization } from '../../authorization.presenter.js';
import { AuthorizationsRepository } from '../../authorizations.repository.js';
import type {
  AuthorizationView,
  CaptureAuthorizationRequest,
  CreateAuthorizationRequest,
} from '../../dto/authorization.dto.js';
import { remainingOf, UsageAuthorization } from '../../usage-authorization.entity.js';
import { UsageEventsRepository } from '../../usage-events.repository.js';
import { AuthorizationSettlementService } from './authorization-settlement.service.js';

const DEFAULT_EXPIRES_IN_SECONDS = 3600;

/**
 * Authorizations: x402-style "up to" holds. Creating one asks the mandates module to hold the amount (it
 * counts against the mandate and the wallet); captures and voids go through AuthorizationSettlementService.
 */
@Injectable()
export class AuthorizationsService {
  constructor(
    private readonly repository: AuthorizationsRepository,
    private readonly spend: MandateSpendService,
    private readonly settlement: AuthorizationSettlementService,
    private readonly fees: FeeCalculator,
    private readonly accounts: AccountsService,
    private readonly usage: UsageEventsRepository,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
  ) {}

  async create(vendorAccountId: string, request: CreateAuthorizationRequest): Promise<AuthorizationView> {
    const amount = parseMoneyParam(request.amount, 'amount');
    const now = new Date();
    const id = newId('authz');
    const authorization = await this.transactions.run(async (manager) => {
      const result = await this.spend.spend(manager, {
        mandateId: request.mandate,
        receiverAccountId: vendorAccountId,
        currency: request.currency,
        type: 'usage_authorization',
        mode: 'hold',
        at: now,
        charges: [
          { amount, fee: 0n, reference: `authorization:${id}`, sourceType: 'usage_authorization', sourceId: id },
        ],
      });
      const outcome = result.outcomes[0];
      const created = Object.assign(new UsageAuthorization(), {
        id,
        accountId: vendorAccountId,
        mandateId: result.mandate.id,
        payerAccountId: result.mandate.payerAccountId,
        currency: request.currency,
        amount,
        captured: 0n,
        capturedFee: 0n,
        status: outcome.status === 'accepted' ? 'active' : 'declined',
        declineCode: outcome.status === 'declined' ? outcome.declineCode : null,
        declineMessage: outcome.status === 'declined' ? outcome.message : null,
        holdTransactionId: outcome.status === 'accepted' ? outcome.ledgerTransactionId : null,
        countedDay: outcome.status === 'accepted' ? result.countedDay : null,
        expiresAt: new Date(now.getTime() + (request.expires_in ?? DEFAULT_EXPIRES_IN_SECONDS) * 1000),
        metadata: request.metadata ?? {},
        closedAt: outcome.status === 'accepted' ? null : now,
        createdAt: now,
        updatedAt: now,
      } satisfies UsageAuthorization);
      await this.repository.insert(manager, created);
      await this.events.record(manager, {
        accountId: vendorAccountId,
        type: 'authorization.created',
        object: presentAuthorization(created),
      });
      return created;
    });
    return presentAuthorization(authorization);
  }

  async get(vendorAccountId: string, id: string): Promise<AuthorizationView> {
    const authorization = await this.repository.find(vendorAccountId, id);
    if (!authorization) throw ApiError.notFound('authorization', id);
    return presentAuthorization(authorization);
  }

  async list(vendorAccountId: string, limit: number, startingAfter?: string): Promise<ListPage<AuthorizationView>> {
    return toPage(await this.repository.list(vendorAccountId, limit, startingAfter), limit, presentAuthorization);
  }

  /** Captures an amount (default: all that is held) and, unless `final` is false, releases the rest. */
  async capture(vendorAccountId: string, id: string, request: CaptureAuthorizationRequest): Promise<AuthorizationView> {
    const vendor = await this.accounts.requireAccount(vendorAccountId);
    const now = new Date();
    const authorization = await this.transactions.run(async (manager) => {
      // A capture posts to the ledger several times: it must not interleave with the vendor's usage batches.
      await this.usage.lockVendor(manager, vendorAccountId, 'exclusive');
      const locked = await this.lockOpen(manager, vendorAccountId, id, now);
      const remaining = remainingOf(locked);
      const amount =
        request.amount === undefined ? remaining : parseMoneyParam(request.amount, 'amount', { allowZero: true });
      if (amount > remaining) {
        throw ApiError.badRequest(
          'amount_exceeds_authorization',
          'The amount is more than the authorization still holds (amount_remaining).',
          'amount',
        );
      }
      const schedule = await this.fees.scheduleFor(
        { receiver: vendor, currency: locked.currency, at: now, sourceType: 'authorization_capture' },
        manager,
      );
      await this.settlement.capture(manager, locked, {
        amount,
        fee: amount > 0n ? FeeCalculator.feeFor(schedule, amount) : 0n,
        final: request.final ?? true,
        type: 'authorization_capture',
        at: now,
      });
      return locked;
    });
    return presentAuthorization(authorization);
  }

  /** Releases everything still held. Voiding a voided authorization returns it unchanged. */
  async void(vendorAccountId: string, id: string): Promise<AuthorizationView> {
    const now = new Date();
    const authorization = await this.transactions.run(async (manager) => {
      const [locked] = await this.repository.lockMany(manager, vendorAccountId, [id]);
      if (!locked) throw ApiError.notFound('authorization', id);
      if (locked.status === 'voided') return locked;
      if (locked.status !== 'active') {
        throw ApiError.conflict('authorization_not_active', `The authorization is ${locked.status}.`);
      }
      await this.settlement.release(manager, locked, 'voided', now);
      return locked;
    });
    return presentAuthorization(authorization);
  }

  private async lockOpen(
    manager: Parameters<AuthorizationsRepository['lockMany']>[0],
    vendorAccountId: string,
    id: string,
    now: Date,
  ): Promise<UsageAuthorization> {
    const [locked] = await this.repository.lockMany(manager, vendorAccountId, [id]);
    if (!locked) throw ApiError.notFound('authorization', id);
    if (locked.status !== 'active') {
      throw ApiError.conflict('authorization_not_active', `The authorization is ${locked.status}.`);
    }
    if (locked.expiresAt.getTime() <= now.getTime()) {
      throw ApiError.conflict('authorization_expired', 'The authorization has expired; its hold is being released.');
    }
    return locked;
  }
}
