/** Signed deliveries of events to webhook endpoints, one job per delivery attempt. */
export const WEBHOOK_DELIVERIES_QUEUE = 'webhook-deliveries';

/** Verified inbound provider webhooks (Stripe), processed once each by the handlers registered for their type. */
export const PROVIDER_EVENTS_QUEUE = 'provider-events';

/** Payouts handed to the provider (rate-limited), and the repeatable payout clock tick. */
export const PAYOUTS_QUEUE = 'payouts';
export const PAYOUT_SCHEDULER_QUEUE = 'payout-scheduler';

/** Token Pay's scheduled work: authorization expiry and usage storage upkeep. */
export const METERING_QUEUE = 'metering';

/** Sweeps of mandates past their expiry, and of payments left unconfirmed past CONFIRMATION_TTL_SECONDS. */
export const MANDATES_QUEUE = 'mandates';
export const PAYMENTS_QUEUE = 'payments';

/** The ledger's scheduled work: expiring holds past their expiry. */
export const LEDGER_MAINTENANCE_QUEUE = 'ledger-maintenance';

/**
 * Every BullMQ queue the application registers, for Bull Board and the queue-depth metrics. A module that
 * registers a queue adds its name here.
 */
export const QUEUE_NAMES: readonly string[] = [
  WEBHOOK_DELIVERIES_QUEUE,
  PROVIDER_EVENTS_QUEUE,
  PAYOUTS_QUEUE,
  PAYOUT_SCHEDULER_QUEUE,
  METERING_QUEUE,
  LEDGER_MAINTENANCE_QUEUE,
  MANDATES_QUEUE,
  PAYMENTS_QUEUE,
];
