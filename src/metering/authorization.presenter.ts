import { formatAmount } from '../../libs/money/src/index.js';
import { unixSeconds } from '../common/pagination/pagination.js';
import type { AuthorizationView } from './dto/authorization.dto.js';
import { remainingOf, type UsageAuthorization } from './usage-authorization.entity.js';

export function presentAuthorization(authorization: UsageAuthorization): AuthorizationView {
  const currency = authorization.currency;
  return {
    id: authorization.id,
    object: 'authorization',
    amount: formatAmount(authorization.amount, currency),
    amount_captured: formatAmount(authorization.captured, currency),
    amount_remaining: formatAmount(remainingOf(authorization), currency),
    closed_at: authorization.closedAt ? unixSeconds(authorization.closedAt) : null,
    created: unixSeconds(authorization.createdAt),
    currency,
    decline_code: authorization.declineCode,
    decline_message: authorization.declineMessage,
    expires_at: unixSeconds(authorization.expiresAt),
    fee_captured: formatAmount(authorization.capturedFee, currency),
    mandate: authorization.mandateId,
    metadata: authorization.metadata,
    payer: authorization.payerAccountId,
    status: authorization.status,
  };
}
