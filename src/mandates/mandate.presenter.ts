import { formatAmount } from '../../libs/money/src/index.js';
import { unixSeconds } from '../common/pagination/pagination.js';
import type { Agent } from './agent.entity.js';
import type { AgentView } from './dto/agent.dto.js';
import type { MandateView } from './dto/mandate.dto.js';
import { effectiveStatus, spentOn, type Mandate } from './mandate.entity.js';

function money(amount: bigint | null, currency: string): string | null {
  return amount === null ? null : formatAmount(amount, currency);
}

/**
 * The payer sees everything; a payee sees the mandate's terms and figures but nothing else of the payer
 * (no agent, no metadata, no other payees).
 */
export function presentMandate(mandate: Mandate, viewerAccountId: string, now = new Date()): MandateView {
  const currency = mandate.currency;
  const isPayer = viewerAccountId === mandate.payerAccountId;
  return {
    id: mandate.id,
    object: 'mandate',
    ...(isPayer ? { agent: mandate.agentId } : {}),
    allowed_payees: isPayer ? mandate.payeeAccountIds : [viewerAccountId],
    confirmation_threshold: money(mandate.confirmationThreshold, currency),
    created: unixSeconds(mandate.createdAt),
    currency,
    description: mandate.description,
    expires_at: mandate.expiresAt ? unixSeconds(mandate.expiresAt) : null,
    max_amount_per_day: money(mandate.maxAmountPerDay, currency),
    max_amount_per_payment: money(mandate.maxAmountPerPayment, currency),
    ...(isPayer ? { metadata: mandate.metadata } : {}),
    payer: mandate.payerAccountId,
    remaining_budget: money(mandate.totalBudget === null ? null : mandate.totalBudget - mandate.spentTotal, currency),
    revoked_at: mandate.revokedAt ? unixSeconds(mandate.revokedAt) : null,
    spent_today: formatAmount(spentOn(mandate, now), currency),
    spent_total: formatAmount(mandate.spentTotal, currency),
    status: effectiveStatus(mandate, now),
    total_budget: money(mandate.totalBudget, currency),
  };
}

export function presentAgent(agent: Agent): AgentView {
  return {
    id: agent.id,
    object: 'agent',
    created: unixSeconds(agent.createdAt),
    framework: agent.framework,
    metadata: agent.metadata,
    name: agent.name,
    public_key: agent.publicKey,
    vendor: agent.vendor,
  };
}
