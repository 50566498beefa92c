/*
 * Instants on the wire: unix seconds (an integer, the way every object reports `created`) or an RFC 3339
 * date-time with an explicit offset ("2025-06-01T12:00:00.250Z"). Anything else is refused rather than guessed:
 * no local times, no milliseconds-since-epoch numbers, no "yesterday".
 */
const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** Unix seconds between 2000-01-01 and 2100-01-01: wider than any real usage, narrower than a unit mix-up. */
const EARLIEST_SECONDS = 946_684_800;
const LATEST_SECONDS = 4_102_444_800;

/** The instant a wire value denotes, or null when it is not a well-formed instant. */
export function parseInstant(value: unknown): Date | null {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < EARLIEST_SECONDS || value > LATEST_SECONDS) return null;
    return new Date(value * 1000);
  }
  if (typeof value !== 'string' || value.length > 40 || !RFC_3339.test(value)) return null;
  const millis = Date.parse(value);
  if (Number.isNaN(millis) || millis < EARLIEST_SECONDS * 1000 || millis > LATEST_SECONDS * 1000) return null;
  // Date.parse silently rolls "2025-02-30" over to March; a round trip of the date part catches that.
  const datePart = value.slice(0, 10);
  const offsetMatch = /(Z|[+-]\d{2}:\d{2})$/i.exec(value);
  const offset = offsetMatch && offsetMatch[1].toUpperCase() !== 'Z' ? offsetMatch[1] : '+00:00';
  const sign = offset.startsWith('-') ? -1 : 1;
  const offsetMinutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const local = new Date(millis + offsetMinutes * 60_000).toISOString().slice(0, 10);
  return local === datePart ? new Date(millis) : null;
}

export const INSTANT_DESCRIPTION =
  'Unix seconds (integer) or an RFC 3339 date-time with an offset, e.g. "2025-06-01T12:00:00.250Z".';
