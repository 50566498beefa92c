/** An event type (`account.updated`), a family (`account.*`) or every event (`*`). */
export const EVENT_TYPE_FILTER_PATTERN = /^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$/;

/** Whether an endpoint subscribed with `filter` receives events of `type`. */
export function matchesEventType(filter: string, type: string): boolean {
  if (filter === '*') return true;
  if (filter.endsWith('.*')) return type.startsWith(filter.slice(0, -1));
  return filter === type;
}

export function subscribesTo(filters: readonly string[], type: string): boolean {
  return filters.some((filter) => matchesEventType(filter, type));
}
