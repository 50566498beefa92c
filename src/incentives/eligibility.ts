import type { IncentiveProgram, ProgramType } from './incentive-program.entity.js';
import { isOpen } from './incentive-program.entity.js';

const DAY_MS = 86_400_000;

export type IneligibilityReason =
  'program_not_open' | 'capability_missing' | 'account_too_old' | 'country_not_eligible' | 'account_not_active';

/** The account facts eligibility rules look at. */
export interface EligibilityFacts {
  capabilities: readonly string[];
  country: string;
  createdAt: Date;
  status: string;
}

/**
 * The capability a program type's beneficiary needs whatever the operator's rules say: a subsidy or a sign-up
 * credit lands in a payer's wallet, a fee rebate in a receiver's balance.
 */
const BENEFICIARY_CAPABILITY: Record<ProgramType, 'pay' | 'receive'> = {
  token_subsidy: 'pay',
  fee_discount: 'receive',
  signup_credit: 'pay',
};

type RuleView = Pick<
  IncentiveProgram,
  'type' | 'status' | 'startsAt' | 'endsAt' | 'requiredCapabilities' | 'maxAccountAgeDays' | 'countries'
>;

/** Every rule the account fails, in a stable order; empty when it qualifies at `at`. */
export function ineligibilityReasons(program: RuleView, account: EligibilityFacts, at: Date): IneligibilityReason[] {
  const reasons: IneligibilityReason[] = [];
  if (!isOpen(program, at)) reasons.push('program_not_open');
  if (account.status !== 'active') reasons.push('account_not_active');
  const needed = new Set([BENEFICIARY_CAPABILITY[program.type], ...program.requiredCapabilities]);
  if ([...needed].some((capability) => !account.capabilities.includes(capability))) {
    reasons.push('capability_missing');
  }
  if (
    program.maxAccountAgeDays !== null &&
    at.getTime() - account.createdAt.getTime() > program.maxAccountAgeDays * DAY_MS
  ) {
    reasons.push('account_too_old');
  }
  if (program.countries.length > 0 && !program.countries.includes(account.country)) {
    reasons.push('country_not_eligible');
  }
  return reasons;
}

export const INELIGIBILITY_MESSAGES: Record<IneligibilityReason, string> = {
  program_not_open: 'The program is not open: it is not active or outside its start and end dates.',
  account_not_active: 'The account is suspended.',
  capability_missing: 'The account lacks a capability the program requires.',
  account_too_old: 'The account is older than the program allows.',
  country_not_eligible: "The account's country is not among the program's countries.",
};
