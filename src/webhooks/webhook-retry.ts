/** Jitter spreads the retries of many endpoints that failed together (an outage) over ±10% of each delay. */
const JITTER = 0.1;

/**
 * The pause before the next attempt after `attemptsMade` failed attempts, or null when the schedule is spent.
 * `schedule[0]` follows the first failure.
 */
export function retryDelayMs(
  schedule: readonly number[],
  attemptsMade: number,
  random: () => number = Math.random,
): number | null {
  const base = schedule[attemptsMade - 1];
  if (base === undefined) return null;
  return Math.max(0, Math.round(base * (1 + JITTER * (2 * random() - 1))));
}
