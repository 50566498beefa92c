import { formatAmount } from '../../libs/money/src/index.js';
import { unixSeconds } from '../common/pagination/pagination.js';
import { bpsToPercent } from './benefit-math.js';
import type { BenefitView } from './dto/benefit.dto.js';
import type { EnrollmentView } from './dto/enrollment.dto.js';
import type { AdminProgramView, DeveloperProgramView, ProgramView } from './dto/program.dto.js';
import type { IncentiveBenefit } from './incentive-benefit.entity.js';
import type { IncentiveEnrollment } from './incentive-enrollment.entity.js';
import type { IncentiveProgram } from './incentive-program.entity.js';
import { remainingBudget } from './incentive-program.entity.js';

function secondsOrNull(date: Date | null): number | null {
  return date === null ? null : unixSeconds(date);
}

function presentProgram(program: IncentiveProgram): ProgramView {
  const money = (nanos: bigint) => formatAmount(nanos, program.currency);
  return {
    id: program.id,
    object: 'incentive_program',
    auto_enroll: program.autoEnroll,
    created: unixSeconds(program.createdAt),
    currency: program.currency,
    description: program.description,
    eligibility: {
      capabilities: program.requiredCapabilities,
      countries: program.countries,
      max_account_age_days: program.maxAccountAgeDays,
    },
    ends_at: secondsOrNull(program.endsAt),
    fee_discount:
      program.type === 'fee_discount'
        ? { duration_days: program.durationDays ?? 0, fee_rate_bps: program.feeRateBps ?? 0 }
        : null,
    name: program.name,
    signup_credit: program.type === 'signup_credit' ? { credit_amount: money(program.creditAmount ?? 0n) } : null,
    starts_at: unixSeconds(program.startsAt),
    status: program.status,
    token_subsidy:
      program.type === 'token_subsidy'
        ? {
            eligible_products: program.eligibleProducts,
            eligible_vendors: program.eligibleVendors,
            monthly_cap_per_account: program.monthlyCapPerAccount === null ? null : money(program.monthlyCapPerAccount),
            percent: bpsToPercent(program.subsidyBps ?? 0),
          }
        : null,
    type: program.type,
  };
}

export function presentAdminProgram(program: IncentiveProgram): AdminProgramView {
  const money = (nanos: bigint) => formatAmount(nanos, program.currency);
  return {
    ...presentProgram(program),
    budget: {
      currency: program.currency,
      funded: money(program.funded),
      ledger_account: {
        id: program.budgetLedgerAccountId,
        currency: program.currency,
        owner: program.id,
        purpose: 'budget',
      },
      remaining: money(remainingBudget(program)),
      spent: money(program.spent),
      withdrawn: money(program.withdrawn),
    },
    metadata: program.metadata,
  };
}

export function presentDeveloperProgram(
  program: IncentiveProgram,
  enrollment: IncentiveEnrollment | null,
): DeveloperProgramView {
  return { ...presentProgram(program), enrollment: enrollment ? presentEnrollment(enrollment) : null };
}

export function presentEnrollment(enrollment: IncentiveEnrollment): EnrollmentView {
  return {
    id: enrollment.id,
    object: 'incentive_enrollment',
    account: enrollment.accountId,
    approved_at: secondsOrNull(enrollment.approvedAt),
    benefit_ends_at: secondsOrNull(enrollment.benefitEndsAt),
    created: unixSeconds(enrollment.createdAt),
    method: enrollment.method,
    note: enrollment.note,
    program: enrollment.programId,
    rejected_at: secondsOrNull(enrollment.rejectedAt),
    rejection_reason: enrollment.rejectionReason,
    status: enrollment.status,
  };
}

export function presentBenefit(benefit: IncentiveBenefit): BenefitView {
  const money = (nanos: bigint) => formatAmount(nanos, benefit.currency);
  return {
    id: benefit.id,
    object: 'incentive_benefit',
    account: benefit.accountId,
    amount: money(benefit.amount),
    created: unixSeconds(benefit.bookedAt),
    currency: benefit.currency,
    ledger_transaction: benefit.ledgerTransactionId,
    occurred_at: unixSeconds(benefit.occurredAt),
    program: benefit.programId,
    requested: money(benefit.requested),
    returned: money(benefit.returned),
    source: { id: benefit.sourceId, type: benefit.sourceType },
    type: benefit.type,
  };
}
