import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { parseAmount } from '../../libs/money/src/index.js';
import { CredentialRepository } from '../common/auth/credential.repository.js';
import { ApiError } from '../common/errors/api-error.js';
import { newId } from '../common/ids.js';
import { ListPage, toPage } from '../common/pagination/pagination.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { PAYMENT_PROVIDER } from '../providers/payment-provider.js';
import type { PaymentProvider } from '../providers/payment-provider.js';
import { EventRecorder } from '../webhooks/event-recorder.js';
import { Account } from './account.entity.js';
import { presentAccount, presentAdminAccount } from './account.presenter.js';
import { AccountsRepository } from './accounts.repository.js';
import { ApiKeysService } from './api-keys.service.js';
import type {
  AccountView,
  AdminAccountView,
  CreateAccountRequest,
  OnboardingLinkView,
  SignupView,
  UpdateAccountRequest,
} from './dto/account.dto.js';
import type { UpdateAccountFeesRequest } from './dto/admin-account.dto.js';

export interface VerificationUpdate {
  verified: boolean;
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
}

@Injectable()
export class AccountsService {
  constructor(
    private readonly repository: AccountsRepository,
    private readonly apiKeys: ApiKeysService,
    private readonly transactions: TransactionRunner,
    private readonly events: EventRecorder,
    private readonly credentials: CredentialRepository,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async signup(request: CreateAccountRequest, byOperator: boolean): Promise<SignupView> {
    if (!this.config.allowSignup && !byOperator) {
      throw ApiError.forbidden(
        'signup_disabled',
        'Sign-up is closed on this platform; ask the operator for an account.',
      );
    }
    return this.transactions.run(async (manager) => {
      const now = new Date();
      const account = Object.assign(new Account(), {
        id: newId('acct'),
        name: request.name,
        email: request.email,
        country: request.country,
        defaultCurrency: request.default_currency,
        capabilities: request.capabilities,
        status: 'active',
        verificationStatus: 'unverified',
        chargesEnabled: false,
        payoutsEnabled: false,
        provider: this.provider.name,
        providerAccountId: null,
        feeBps: null,
        feeFixed: null,
        metadata: request.metadata ?? {},
        createdAt: now,
        updatedAt: now,
      } satisfies Account);
      await this.repository.insertAccount(manager, account);
      const apiKey = await this.apiKeys.createInTransaction(manager, account.id, 'default', ['full']);
      const view = presentAccount(account);
      await this.events.record(manager, { accountId: account.id, type: 'account.created', object: view });
      return { account: view, api_key: apiKey };
    });
  }

  async getAccount(accountId: string): Promise<AccountView> {
    return presentAccount(await this.requireAccount(accountId));
  }

  async updateAccount(accountId: string, request: UpdateAccountRequest): Promise<AccountView> {
    return this.changeAccount(accountId, 'account.updated', (account) => {
      if (request.name !== undefined) account.name = request.name;
      if (request.email !== undefined) account.email = request.email;
      if (request.default_currency !== undefined) account.defaultCurrency = request.default_currency;
      if (request.metadata !== undefined) account.metadata = request.metadata;
    }).then(presentAccount);
  }

  async createOnboardingLink(accountId: string): Promise<OnboardingLinkView> {
    const account = await this.requireAccount(accountId);
    if (!account.capabilities.includes('receive')) {
      throw ApiError.badRequest(
        'onboarding_not_required',
        'Only accounts with the receive capability need onboarding.',
      );
    }
    const link = await this.provider.createOnboardingLink({
      id: account.id,
      email: account.email,
      country: account.country,
      providerAccountId: account.providerAccountId,
    });
    const updated = await this.changeAccount(accountId, 'account.updated', (locked) => {
      if (link.providerAccountId) locked.providerAccountId = link.providerAccountId;
      if (link.verified) this.applyVerification(locked, { verified: true, chargesEnabled: true, payoutsEnabled: true });
      else if (locked.verificationStatus === 'unverified') locked.verificationStatus = 'pending';
    });
    return {
      object: 'onboarding_link',
      account: presentAccount(updated),
      expires_at: Math.floor(link.expiresAt.getTime() / 1000),
      url: link.url,
    };
  }

  /** The provider (local completion page or Stripe's account.updated) reports the verification outcome. */
  async applyProviderVerification(accountId: string, update: VerificationUpdate): Promise<AccountView> {
    const account = await this.changeAccount(accountId, 'account.updated', (locked) =>
      this.applyVerification(locked, update),
    );
    return presentAccount(account);
  }

  async findByProviderAccount(providerAccountId: string): Promise<Account | null> {
    return this.repository.findAccountByProviderId(this.provider.name, providerAccountId);
  }

  async listForOperator(limit: number, startingAfter?: string): Promise<ListPage<AdminAccountView>> {
    return toPage(await this.repository.listAccounts(limit, startingAfter), limit, presentAdminAccount);
  }

  async getForOperator(accountId: string): Promise<AdminAccountView> {
    return presentAdminAccount(await this.requireAccount(accountId));
  }

  async setStatus(accountId: string, status: 'active' | 'suspended'): Promise<AdminAccountView> {
    const type = status === 'suspended' ? 'account.suspended' : 'account.reinstated';
    const account = await this.changeAccount(accountId, type, (locked) => {
      locked.status = status;
    });
    await this.credentials.changed();
    return presentAdminAccount(account);
  }

  async setFees(accountId: string, request: UpdateAccountFeesRequest): Promise<AdminAccountView> {
    const account = await this.changeAccount(accountId, 'account.updated', (locked) => {
      if (request.fee_bps !== undefined) locked.feeBps = request.fee_bps;
      if (request.fee_fixed !== undefined) {
        locked.feeFixed = request.fee_fixed === null ? null : parseAmount(request.fee_fixed, { allowZero: true });
      }
    });
    return presentAdminAccount(account);
  }

  async requireAccount(accountId: string): Promise<Account> {
    const account = await this.repository.findAccount(accountId);
    if (!account) throw ApiError.notFound('account', accountId);
    return account;
  }

  private applyVerification(account: Account, update: VerificationUpdate): void {
    account.verificationStatus = update.verified
      ? 'verified'
      : account.verificationStatus === 'unverified'
        ? 'unverified'
        : 'pending';
    const receives = account.capabilities.includes('receive');
    account.chargesEnabled = receives && update.chargesEnabled;
    account.payoutsEnabled = receives && update.payoutsEnabled;
  }

  private async changeAccount(
    accountId: string,
    eventType: string,
    change: (account: Account) => void,
  ): Promise<Account> {
    return this.transactions.run(async (manager: EntityManager) => {
      const account = await this.repository.lockAccount(manager, accountId);
      if (!account) throw ApiError.notFound('account', accountId);
      change(account);
      await this.repository.saveAccount(manager, account);
      await this.events.record(manager, { accountId, type: eventType, object: presentAccount(account) });
      return account;
    });
  }
}
