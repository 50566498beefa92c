import { newId } from '../common/ids.js';
import { UsageEventIds } from './usage-event-ids.js';

describe('UsageEventIds', () => {
  it('makes ids of the same shape and order as newId, all distinct', () => {
    const ids = new UsageEventIds();
    const now = Date.parse('2025-06-15T12:00:00Z');
    const made = Array.from({ length: 5000 }, () => ids.next(now));
    expect(new Set(made).size).toBe(made.length);
    for (const id of made) expect(id).toMatch(/^ue_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(made[0].slice(0, 13)).toBe(newId('ue', now).slice(0, 13));
    expect(ids.next(now + 1) > newId('ue', now)).toBe(true);
  });
});
