import { Injectable } from '@nestjs/common';

const DAY_MS = 86_400_000;

/**
 * The platform's notion of "now" for business time: settlement dates, payout schedules, reserve releases and the
 * local rail's settlement. Everything that decides *when* money moves reads this instead of `new Date()`, so a
 * scenario test can run sixty days of schedules in seconds by moving the clock forward (like Stripe's test clocks).
 * Outside tests nothing moves it and it is the system clock.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** How far business time is ahead of the system clock, to convert the database's own timestamps (in SQL or not). */
  offsetMilliseconds(): number {
    return this.offsetMs;
  }

  /** Moves business time forward (never backward: schedules and settlement assume time only grows). */
  advance(milliseconds: number): Date {
    if (!Number.isInteger(milliseconds) || milliseconds < 0) {
      throw new RangeError(`The clock only moves forward by whole milliseconds; got ${milliseconds}.`);
    }
    this.offsetMs += milliseconds;
    return this.now();
  }

  advanceDays(days: number): Date {
    return this.advance(days * DAY_MS);
  }

  /** Jumps to `instant` if it is not in the past. */
  travelTo(instant: Date): Date {
    return this.advance(Math.max(0, instant.getTime() - this.now().getTime()));
  }
}

/** Midnight UTC of the day `instant` falls on. */
export function startOfUtcDay(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
}

export function addUtcDays(instant: Date, days: number): Date {
  return new Date(instant.getTime() + days * DAY_MS);
}

/** "2025-03-07": the calendar date of `instant` in UTC. */
export function utcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}
