import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock/clock.js';
import { ApiError } from '../common/errors/api-error.js';
import { parseMoneyParam } from '../common/validation/parse-money-param.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { EventRecorder } from '../webhooks/event-recorder.js';
import { AccountsService } from '../accounts/accounts.service.js';
import { BankAccountError, validateBankAccount } from './bank-account.js';
import type {
  PayoutDestinationRequest,
  PayoutSettingsView,
  UpdatePayoutSettingsRequest,
  UpdateSettlementTermsRequest,
} from './dto/payout-settings.dto.js';
import { defaultPayoutSettings, PayoutDestination, PayoutSettings } from './payout-settings.entity.js';
import { presentPayoutSettings } from './payout-settings.presenter.js';
import { PayoutSettingsRepository } from './payout-settings.repository.js';

/** The receiver's schedule, minimum and destination, and the operator's settlement terms (delay, reserve). */
@Injectable()
export class PayoutSettingsService {
  constructor(
    private readonly repository: PayoutSettingsRepository,
    private readonly accounts: AccountsService,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(accountId: string): Promise<PayoutSettingsView> {
    return this.present((await this.repository.find(accountId)) ?? defaultPayoutSettings(accountId, this.clock.now()));
  }

  async getForOperator(accountId: string): Promise<PayoutSettingsView> {
    await this.accounts.requireAccount(accountId);
    return this.get(accountId);
  }

  /** Settings as the payout use cases read them (defaults when the receiver never set any). */
  async settingsOf(accountId: string): Promise<PayoutSettings> {
    return (await this.repository.find(accountId)) ?? defaultPayoutSettings(accountId, this.clock.now());
  }

  async update(accountId: string, request: UpdatePayoutSettingsRequest): Promise<PayoutSettingsView> {
    const account = await this.accounts.requireAccount(accountId);
    const destination = request.destination ? this.parseDestination(request.destination, account.provider) : undefined;
    const minimum =
      request.minimum_amount === undefined || request.minimum_amount === null
        ? request.minimum_amount
        : {
            amount: parseMoneyParam(request.minimum_amount.amount, 'minimum_amount.amount', {
              allowZero: true,
              minorUnitsOf: request.minimum_amount.currency,
            }),
            currency: request.minimum_amount.currency,
          };
    if (request.schedule?.interval === 'weekly' && request.schedule.weekly_anchor === undefined) {
      throw ApiError.badRequest(
        'parameter_missing',
        'A weekly schedule needs weekly_anchor.',
        'schedule.weekly_anchor',
      );
    }
    if (request.schedule?.interval === 'monthly' && request.schedule.monthly_anchor === undefined) {
      throw ApiError.badRequest(
        'parameter_missing',
        'A monthly schedule needs monthly_anchor.',
        'schedule.monthly_anchor',
      );
    }
    return this.change(accountId, (settings) => {
      if (request.schedule) {
        settings.interval = request.schedule.interval;
        settings.weeklyAnchor = request.schedule.interval === 'weekly' ? request.schedule.weekly_anchor! : null;
        settings.monthlyAnchor = request.schedule.interval === 'monthly' ? request.schedule.monthly_anchor! : null;
      }
      if (minimum === null) {
        settings.minimumAmount = 0n;
        settings.minimumCurrency = null;
      } else if (minimum !== undefined) {
        settings.minimumAmount = minimum.amount;
        settings.minimumCurrency = minimum.currency;
      }
      if (destination) {
        settings.destination = destination;
        settings.destinationVersion += 1;
        // A failed payout paused the schedule because the destination was bad; a new one lifts the pause.
        settings.pausedReason = null;
        settings.pausedByPayoutId = null;
      }
    });
  }

  async updateTerms(accountId: string, request: UpdateSettlementTermsRequest): Promise<PayoutSettingsView> {
    await this.accounts.requireAccount(accountId);
    return this.change(accountId, (settings) => {
      if (request.reserve_bps !== undefined) settings.reserveBps = request.reserve_bps;
      if (request.reserve_hold_days !== undefined) settings.reserveHoldDays = request.reserve_hold_days;
      if (request.settlement_delay_days !== undefined) settings.settlementDelayDays = request.settlement_delay_days;
    });
  }

  present(settings: PayoutSettings): PayoutSettingsView {
    return presentPayoutSettings(settings, this.config.settlementDelayDays);
  }

  private async change(accountId: string, apply: (settings: PayoutSettings) => void): Promise<PayoutSettingsView> {
    return this.transactions.run(async (manager) => {
      const now = this.clock.now();
      const settings = await this.repository.lockOrCreate(manager, accountId, now);
      apply(settings);
      settings.updatedAt = now;
      await this.repository.save(manager, settings);
      const view = this.present(settings);
      await this.events.record(manager, { accountId, type: 'payout_settings.updated', object: view });
      return view;
    });
  }

  private parseDestination(request: PayoutDestinationRequest, provider: string): PayoutDestination {
    if (request.type === 'external_account') {
      if (provider !== 'stripe') {
        throw ApiError.badRequest(
          'destination_not_supported',
          'This account is paid out on the local rail: send a bank_account destination.',
          'destination.type',
        );
      }
      if (!request.external_account) {
        throw ApiError.badRequest('parameter_missing', 'external_account is required.', 'destination.external_account');
      }
      return { type: 'external_account', externalAccount: request.external_account };
    }
    if (provider !== 'local') {
      throw ApiError.badRequest(
        'destination_not_supported',
        'Stripe accounts are paid to their Stripe external account: send an external_account destination.',
        'destination.type',
      );
    }
    for (const field of ['account_holder_name', 'country', 'currency'] as const) {
      if (request[field] === undefined) {
        throw ApiError.badRequest(
          'parameter_missing',
          `${field} is required for a bank_account.`,
          `destination.${field}`,
        );
      }
    }
    try {
      const bank = validateBankAccount({
        account_holder_name: request.account_holder_name!,
        account_number: request.account_number,
        routing_number: request.routing_number,
        iban: request.iban,
        country: request.country!,
        currency: request.currency!,
      });
      return { type: 'bank_account', ...bank };
    } catch (error) {
      if (error instanceof BankAccountError) throw ApiError.badRequest(error.code, error.message, error.param);
      throw error;
    }
  }
}
