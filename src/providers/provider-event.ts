/** An inbound provider webhook after its signature was verified. */
export interface ProviderEvent {
  provider: 'stripe';
  id: string;
  type: string;
  /** The connected account the event concerns (Stripe's `account`), when any. */
  providerAccountId: string | null;
  /** The whole event as the provider sent it; its object is at `data.object`. */
  payload: Record<string, unknown>;
}

/** The object an event is about (Stripe's `data.object`). */
export function eventObject(event: ProviderEvent): Record<string, unknown> {
  const data = event.payload.data as { object?: Record<string, unknown> } | undefined;
  return data?.object ?? {};
}
