import { formatAmount } from '../../libs/money/src/index.js';
import { unixSeconds } from '../common/pagination/pagination.js';
import type { Account } from './account.entity.js';
import type { ApiKey } from './api-key.entity.js';
import type { AccountView, AdminAccountView } from './dto/account.dto.js';
import type { ApiKeyView } from './dto/api-key.dto.js';

/** What still stands between the account and charges/payouts. */
export function currentlyDue(account: Account): string[] {
  const due: string[] = [];
  if (account.capabilities.includes('receive') && account.verificationStatus !== 'verified') due.push('onboarding');
  return due;
}

export function presentAccount(account: Account): AccountView {
  return {
    id: account.id,
    object: 'account',
    capabilities: account.capabilities,
    charges_enabled: account.chargesEnabled,
    country: account.country,
    created: unixSeconds(account.createdAt),
    default_currency: account.defaultCurrency,
    email: account.email,
    metadata: account.metadata,
    name: account.name,
    payouts_enabled: account.payoutsEnabled,
    provider: account.provider,
    requirements: { currently_due: currentlyDue(account) },
    status: account.status,
    verification_status: account.verificationStatus,
  };
}

export function presentAdminAccount(account: Account): AdminAccountView {
  return {
    ...presentAccount(account),
    fee_bps: account.feeBps,
    fee_fixed: account.feeFixed === null ? null : formatAmount(account.feeFixed, account.defaultCurrency),
    provider_account_id: account.providerAccountId,
  };
}

export function presentApiKey(key: ApiKey): ApiKeyView {
  return {
    id: key.id,
    object: 'api_key',
    created: unixSeconds(key.createdAt),
    expires_at: key.expiresAt ? unixSeconds(key.expiresAt) : null,
    last4: key.last4,
    livemode: key.livemode,
    name: key.name,
    prefix: key.prefix,
    revoked: key.revokedAt !== null,
    scopes: key.scopes,
  };
}
