/** When scheduled payouts run for an account. Pure calendar logic, in UTC, so it is testable without a clock. */
export const PAYOUT_INTERVALS = ['daily', 'weekly', 'monthly', 'manual'] as const;
export type PayoutInterval = (typeof PAYOUT_INTERVALS)[number];

/** Indexed like Date#getUTCDay(). */
export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface PayoutSchedule {
  interval: PayoutInterval;
  weeklyAnchor: Weekday | null;
  monthlyAnchor: number | null;
}

/**
 * Whether `day` is a payout day. A monthly anchor past the end of a short month (31 in April) falls on the
 * month's last day, so every month has exactly one payout day.
 */
export function isPayoutDay(schedule: PayoutSchedule, day: Date): boolean {
  switch (schedule.interval) {
    case 'manual':
      return false;
    case 'daily':
      return true;
    case 'weekly':
      return WEEKDAYS[day.getUTCDay()] === (schedule.weeklyAnchor ?? 'monday');
    case 'monthly': {
      const lastDay = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 0)).getUTCDate();
      return day.getUTCDate() === Math.min(schedule.monthlyAnchor ?? 1, lastDay);
    }
  }
}
