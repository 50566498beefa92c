import { formatAmount } from '../../libs/money/src/index.js';
import type { UsageEventResultView } from './dto/usage-event.dto.js';
import type { UsageRejection } from './usage-event.js';

/** The outcome of one event of a request, before it is put on the wire. */
export type UsageOutcome =
  | {
      status: 'accepted' | 'duplicate';
      currency: string;
      amount: bigint;
      fee: bigint;
      usageEventId: string;
      ledgerReference: string | null;
    }
  | { status: 'conflict' | 'rejected'; rejection: UsageRejection };

export function presentOutcome(eventId: string | null, outcome: UsageOutcome): UsageEventResultView {
  if (!('rejection' in outcome)) {
    return {
      id: eventId,
      status: outcome.status,
      amount: formatAmount(outcome.amount, outcome.currency),
      currency: outcome.currency,
      fee: formatAmount(outcome.fee, outcome.currency),
      ledger_reference: outcome.ledgerReference,
      usage_event: outcome.usageEventId,
    };
  }
  return {
    id: eventId,
    status: outcome.status,
    amount: null,
    code: outcome.rejection.code,
    currency: null,
    fee: null,
    ledger_reference: null,
    message: outcome.rejection.message,
    usage_event: null,
  };
}
