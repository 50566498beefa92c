import { isPayoutDay, PayoutSchedule } from './payout-schedule.js';

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('isPayoutDay', () => {
  it('pays every day on a daily schedule and never on a manual one', () => {
    const daily: PayoutSchedule = { interval: 'daily', weeklyAnchor: null, monthlyAnchor: null };
    expect(isPayoutDay(daily, day('2025-03-01'))).toBe(true);
    expect(isPayoutDay({ ...daily, interval: 'manual' }, day('2025-03-01'))).toBe(false);
  });

  it('pays on the anchor weekday of a weekly schedule', () => {
    const weekly: PayoutSchedule = { interval: 'weekly', weeklyAnchor: 'friday', monthlyAnchor: null };
    expect(isPayoutDay(weekly, day('2025-03-07'))).toBe(true);
    expect(isPayoutDay(weekly, day('2025-03-08'))).toBe(false);
  });

  it('pays on the anchor day of a monthly schedule, or the last day of a shorter month', () => {
    const monthly: PayoutSchedule = { interval: 'monthly', weeklyAnchor: null, monthlyAnchor: 31 };
    expect(isPayoutDay(monthly, day('2025-01-31'))).toBe(true);
    expect(isPayoutDay(monthly, day('2025-02-28'))).toBe(true);
    expect(isPayoutDay(monthly, day('2025-02-27'))).toBe(false);
    expect(isPayoutDay(monthly, day('2025-04-30'))).toBe(true);
    expect(isPayoutDay({ ...monthly, monthlyAnchor: 15 }, day('2025-04-15'))).toBe(true);
  });
});
