import { EVENT_TYPE_FILTER_PATTERN, matchesEventType, subscribesTo } from './event-type-filter.js';

describe('event type filters', () => {
  it('matches every event with *, a family with a trailing .*, and otherwise the exact type', () => {
    expect(matchesEventType('*', 'payout.paid')).toBe(true);
    expect(matchesEventType('payout.*', 'payout.paid')).toBe(true);
    expect(matchesEventType('payout.*', 'payout.reversal.created')).toBe(true);
    expect(matchesEventType('payout.*', 'payouts.paid')).toBe(false);
    expect(matchesEventType('payout.paid', 'payout.paid')).toBe(true);
    expect(matchesEventType('payout.paid', 'payout.failed')).toBe(false);
    expect(subscribesTo(['account.updated', 'payment.*'], 'payment.succeeded')).toBe(true);
    expect(subscribesTo(['account.updated'], 'account.created')).toBe(false);
  });

  it('accepts well-formed filters only', () => {
    for (const good of ['*', 'account.updated', 'payment.*', 'usage_event.recorded']) {
      expect(EVENT_TYPE_FILTER_PATTERN.test(good)).toBe(true);
    }
    for (const bad of ['', 'Account.updated', 'payment.', '*.paid', 'a..b', 'payment.**', 'a b']) {
      expect(EVENT_TYPE_FILTER_PATTERN.test(bad)).toBe(false);
    }
  });
});
