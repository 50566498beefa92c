import { loadConfig } from '../config/app-config.js';
import { retryDelayMs } from './webhook-retry.js';

describe('webhook retry schedule', () => {
  it('follows the schedule with at most 10% jitter and stops when it is spent', () => {
    const schedule = [5_000, 300_000];
    expect(retryDelayMs(schedule, 1, () => 0.5)).toBe(5_000);
    expect(retryDelayMs(schedule, 1, () => 0)).toBe(4_500);
    expect(retryDelayMs(schedule, 2, () => 1)).toBe(330_000);
    expect(retryDelayMs(schedule, 3)).toBeNull();
  });

  it('retries for about three days by default', () => {
    const schedule = loadConfig({}).webhookRetrySchedule;
    const totalHours = schedule.reduce((sum, delay) => sum + delay, 0) / 3_600_000;
    expect(totalHours).toBeGreaterThan(60);
    expect(totalHours).toBeLessThan(80);
    expect(schedule[0]).toBe(5_000);
  });

  it('reads a schedule such as WEBHOOK_RETRY_SCHEDULE=20ms,1s,2m,1h', () => {
    expect(loadConfig({ WEBHOOK_RETRY_SCHEDULE: '20ms,1s,2m,1h' }).webhookRetrySchedule).toEqual([
      20, 1_000, 120_000, 3_600_000,
    ]);
    expect(() => loadConfig({ WEBHOOK_RETRY_SCHEDULE: '5 minutes' })).toThrow('WEBHOOK_RETRY_SCHEDULE');
  });
});
