import { formatAmount } from '../../libs/money/src/index.js';
import { unixSeconds } from '../common/pagination/pagination.js';
import type { TopUpView } from './dto/wallet.dto.js';
import type { TopUp } from './top-up.entity.js';

export function presentTopUp(topUp: TopUp): TopUpView {
  return {
    id: topUp.id,
    object: 'top_up',
    amount: formatAmount(topUp.amount, topUp.currency),
    client_secret: topUp.status === 'pending' ? topUp.clientSecret : null,
    created: unixSeconds(topUp.createdAt),
    currency: topUp.currency,
    failure_code: topUp.failureCode,
    failure_message: topUp.failureMessage,
    metadata: topUp.metadata,
    provider: topUp.provider,
    provider_payment_id: topUp.providerPaymentId,
    status: topUp.status,
  };
}
