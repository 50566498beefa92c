import { Injectable } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service.js';
import { ApiError } from '../common/errors/api-error.js';
import { newId } from '../common/ids.js';
import { ListPage, toPage } from '../common/pagination/pagination.js';
import { parseMoneyParam } from '../common/validation/parse-money-param.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { EventRecorder, type EventInput } from '../webhooks/event-recorder.js';
import type { CreateMandateRequest, MandateView } from './dto/mandate.dto.js';
import { Mandate, utcDay } from './mandate.entity.js';
import { presentMandate } from './mandate.presenter.js';
import { MandatesRepository } from './mandates.repository.js';

/** Events about a mandate go to the payer and, in their own view, to each payee. */
export function mandateEvents(type: string, mandate: Mandate, at: Date): EventInput[] {
  return [mandate.payerAccountId, ...mandate.payeeAccountIds].map((accountId) => ({
    accountId,
    type,
    object: presentMandate(mandate, accountId, at),
  }));
}

@Injectable()
export class MandatesService {
  constructor(
    private readonly repository: MandatesRepository,
    private readonly accounts: AccountsService,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
  ) {}

  async create(payerAccountId: string, request: CreateMandateRequest): Promise<MandateView> {
    const payer = await this.accounts.requireAccount(payerAccountId);
    if (!payer.capabilities.includes('pay')) {
      throw ApiError.forbidden('pay_capability_required', 'Only an account with the pay capability grants mandates.');
    }
    const payees = [...new Set([...(request.payee ? [request.payee] : []), ...(request.allowed_payees ?? [])])];
    if (payees.length === 0) {
      throw ApiError.badRequest(
        'parameter_missing',
        'Name the account that may charge: payee or allowed_payees.',
        'payee',
      );
    }
    for (const payee of payees) {
      const param = request.payee === payee ? 'payee' : 'allowed_payees';
      if (payee === payerAccountId) {
        throw ApiError.badRequest('payee_invalid', 'A mandate cannot name its own payer as a payee.', param);
      }
      await this.accounts.requireAccount(payee).catch((error: unknown) => {
        throw error instanceof ApiError && error.status === 404 ? ApiError.notFound('account', payee, param) : error;
      });
    }
    if (request.agent && !(await this.repository.findAgent(payerAccountId, request.agent))) {
      throw ApiError.notFound('agent', request.agent, 'agent');
    }
    const now = new Date();
    const limit = (value: string | undefined, param: string) =>
      value === undefined ? null : parseMoneyParam(value, param);
    const maxPerPayment = limit(request.max_amount_per_payment, 'max_amount_per_payment');
    const maxPerDay = limit(request.max_amount_per_day, 'max_amount_per_day');
    const totalBudget = limit(request.total_budget, 'total_budget');
    const threshold =
      request.confirmation_threshold === undefined
        ? null
        : parseMoneyParam(request.confirmation_threshold, 'confirmation_threshold', { allowZero: true });
    if (maxPerPayment !== null && totalBudget !== null && maxPerPayment > totalBudget) {
      throw ApiError.badRequest(
        'mandate_limits_inconsistent',
        'max_amount_per_payment cannot exceed total_budget.',
        'max_amount_per_payment',
      );
    }
    if (maxPerPayment !== null && maxPerDay !== null && maxPerPayment > maxPerDay) {
      throw ApiError.badRequest(
        'mandate_limits_inconsistent',
        'max_amount_per_payment cannot exceed max_amount_per_day.',
        'max_amount_per_payment',
      );
    }
    if (request.expires_at !== undefined && request.expires_at * 1000 <= now.getTime()) {
      throw ApiError.badRequest('expires_at_in_past', 'expires_at must be in the future.', 'expires_at');
    }
    const mandate = Object.assign(new Mandate(), {
      id: newId('mdt'),
      payerAccountId,
      agentId: request.agent ?? null,
      payeeAccountIds: payees,
      currency: request.currency,
      maxAmountPerPayment: maxPerPayment,
      maxAmountPerDay: maxPerDay,
      totalBudget,
      confirmationThreshold: threshold,
      expiresAt: request.expires_at === undefined ? null : new Date(request.expires_at * 1000),
      description: request.description,
      metadata: request.metadata ?? {},
      status: 'active',
      spentTotal: 0n,
      spentDay: utcDay(now),
      spentDayAmount: 0n,
      revokedAt: null,
      createdAt: now,
      updatedAt: now,
    } satisfies Mandate);
    await this.transactions.run(async (manager) => {
      await this.repository.insertMandate(manager, mandate);
      await this.events.recordMany(manager, mandateEvents('mandate.created', mandate, now));
    });
    return presentMandate(mandate, payerAccountId, now);
  }

  async get(accountId: string, id: string): Promise<MandateView> {
    const mandate = await this.repository.findVisibleMandate(accountId, id);
    if (!mandate) throw ApiError.notFound('mandate', id);
    return presentMandate(mandate, accountId);
  }

  async list(
    accountId: string,
    role: 'payer' | 'payee' | undefined,
    limit: number,
    startingAfter?: string,
  ): Promise<ListPage<MandateView>> {
    const rows = await this.repository.listVisibleMandates(accountId, role, limit, startingAfter);
    const now = new Date();
    return toPage(rows, limit, (mandate) => presentMandate(mandate, accountId, now));
  }

  /** Takes effect at once: the row lock waits for any spend in flight, and every later spend is declined. */
  async revoke(payerAccountId: string, id: string): Promise<MandateView> {
    return this.transactions.run(async (manager) => {
      const mandate = await this.repository.lockMandate(manager, id);
      if (!mandate || mandate.payerAccountId !== payerAccountId) throw ApiError.notFound('mandate', id);
      const now = new Date();
      if (mandate.status !== 'revoked') {
        await this.repository.markRevoked(manager, mandate, now);
        await this.events.recordMany(manager, mandateEvents('mandate.revoked', mandate, now));
      }
      return presentMandate(mandate, payerAccountId, now);
    });
  }
}
