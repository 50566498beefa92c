import { ineligibilityReasons } from './eligibility.js';

const DAY_MS = 86_400_000;
const now = new Date('2025-06-15T12:00:00Z');

function program(overrides: Partial<Parameters<typeof ineligibilityReasons>[0]> = {}) {
  return {
    type: 'token_subsidy' as const,
    status: 'active' as const,
    startsAt: new Date('2025-06-01T00:00:00Z'),
    endsAt: null,
    requiredCapabilities: [],
    maxAccountAgeDays: null,
    countries: [],
    ...overrides,
  };
}

const payer = {
  capabilities: ['pay'],
  country: 'US',
  createdAt: new Date(now.getTime() - 3 * DAY_MS),
  status: 'active',
};

describe('ineligibilityReasons', () => {
  it('qualifies an account that meets every rule', () => {
    expect(ineligibilityReasons(program(), payer, now)).toEqual([]);
  });

  it('refuses outside the program window and when the program is not active', () => {
    expect(ineligibilityReasons(program({ startsAt: new Date('2025-07-01T00:00:00Z') }), payer, now)).toEqual([
      'program_not_open',
    ]);
    expect(ineligibilityReasons(program({ endsAt: now }), payer, now)).toEqual(['program_not_open']);
    expect(ineligibilityReasons(program({ status: 'paused' }), payer, now)).toEqual(['program_not_open']);
  });

  it("requires the beneficiary's capability for the program type and the operator's capabilities", () => {
    expect(ineligibilityReasons(program({ type: 'fee_discount' }), payer, now)).toEqual(['capability_missing']);
    expect(ineligibilityReasons(program({ requiredCapabilities: ['receive'] }), payer, now)).toEqual([
      'capability_missing',
    ]);
  });

  it('counts account age in whole days up to and including the limit', () => {
    expect(ineligibilityReasons(program({ maxAccountAgeDays: 3 }), payer, now)).toEqual([]);
    expect(ineligibilityReasons(program({ maxAccountAgeDays: 2 }), payer, now)).toEqual(['account_too_old']);
  });

  it('limits countries when the program lists them', () => {
    expect(ineligibilityReasons(program({ countries: ['US', 'CA'] }), payer, now)).toEqual([]);
    expect(ineligibilityReasons(program({ countries: ['JP'] }), payer, now)).toEqual(['country_not_eligible']);
  });

  it('refuses suspended accounts', () => {
    expect(ineligibilityReasons(program(), { ...payer, status: 'suspended' }, now)).toEqual(['account_not_active']);
  });
});
