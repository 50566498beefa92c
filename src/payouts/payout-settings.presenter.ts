import { formatAmount } from '../../libs/money/src/index.js';
import { unixSeconds } from '../common/pagination/pagination.js';
import type { PayoutDestinationView, PayoutSettingsView } from './dto/payout-settings.dto.js';
import type { PayoutDestination, PayoutSettings } from './payout-settings.entity.js';

export function presentDestination(destination: PayoutDestination | null): PayoutDestinationView | null {
  if (!destination) return null;
  if (destination.type === 'external_account') {
    return {
      type: 'external_account',
      account_holder_name: null,
      country: null,
      currency: null,
      external_account: destination.externalAccount,
      last4: null,
      routing_number: null,
    };
  }
  return {
    type: 'bank_account',
    account_holder_name: destination.accountHolderName,
    country: destination.country,
    currency: destination.currency,
    external_account: null,
    last4: destination.accountNumber.slice(-4),
    routing_number: destination.routingNumber,
  };
}

export function presentPayoutSettings(settings: PayoutSettings, defaultDelayDays: number): PayoutSettingsView {
  return {
    object: 'payout_settings',
    account: settings.accountId,
    destination: presentDestination(settings.destination),
    minimum_amount:
      settings.minimumCurrency === null
        ? null
        : {
            amount: formatAmount(settings.minimumAmount, settings.minimumCurrency),
            currency: settings.minimumCurrency,
          },
    paused_reason: settings.pausedReason,
    payouts_paused: settings.pausedReason !== null,
    reserve: { bps: settings.reserveBps, hold_days: settings.reserveHoldDays },
    schedule: {
      interval: settings.interval,
      monthly_anchor: settings.interval === 'monthly' ? settings.monthlyAnchor : null,
      weekly_anchor: settings.interval === 'weekly' ? settings.weeklyAnchor : null,
    },
    settlement_delay_days: settings.settlementDelayDays ?? defaultDelayDays,
    updated: unixSeconds(settings.updatedAt),
  };
}
