import type { LedgerAccountKey } from '../ledger/ledger.types.js';

export type ReceiverPurpose = 'pending' | 'available' | 'reserve' | 'payout_in_transit';

export function receiverAccount(accountId: string, purpose: ReceiverPurpose, currency: string): LedgerAccountKey {
  return { owner: accountId, purpose, currency };
}

export function providerClearing(currency: string): LedgerAccountKey {
  return { owner: 'platform', purpose: 'provider_clearing', currency };
}
