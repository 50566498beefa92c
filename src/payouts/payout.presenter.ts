import { formatAmount } from '../../libs/money/src/index.js';
import { unixSeconds } from '../common/pagination/pagination.js';
import type { PayoutView } from './dto/payout.dto.js';
import type { Payout } from './payout.entity.js';
import { presentDestination } from './payout-settings.presenter.js';

export function presentPayout(payout: Payout): PayoutView {
  return {
    id: payout.id,
    object: 'payout',
    amount: formatAmount(payout.amount, payout.currency),
    arrival_date: payout.arrivalDate ? unixSeconds(payout.arrivalDate) : null,
    automatic: payout.automatic,
    created: unixSeconds(payout.createdAt),
    currency: payout.currency,
    description: payout.description,
    destination: presentDestination(payout.destination),
    failure_code: payout.failureCode,
    failure_message: payout.failureMessage,
    metadata: payout.metadata,
    provider: payout.provider,
    provider_payout_id: payout.providerPayoutId,
    provider_transfer_id: payout.providerTransferId,
    returned: payout.returned,
    scheduled_for: payout.scheduledFor,
    status: payout.status,
  };
}
