import { unixSeconds } from '../common/pagination/pagination.js';
import type { EventView } from './dto/event.dto.js';
import type {
  WebhookDeliveryAttemptView,
  WebhookDeliveryView,
  WebhookEndpointView,
  WebhookEndpointWithSecretView,
} from './dto/webhook-endpoint.dto.js';
import type { EventRecord } from './event.entity.js';
import type { WebhookDelivery, WebhookDeliveryAttempt } from './webhook-delivery.entity.js';
import type { WebhookEndpoint } from './webhook-endpoint.entity.js';

export function presentEvent(event: EventRecord): EventView {
  return {
    id: event.id,
    object: 'event',
    account: event.accountId,
    created: unixSeconds(event.createdAt),
    data: event.data,
    request_id: event.requestId,
    type: event.type,
  };
}

export function presentEndpoint(endpoint: WebhookEndpoint, now = new Date()): WebhookEndpointView {
  const overlapEnds = endpoint.previousSecretExpiresAt;
  return {
    id: endpoint.id,
    object: 'webhook_endpoint',
    created: unixSeconds(endpoint.createdAt),
    description: endpoint.description,
    disabled_reason: endpoint.disabledReason,
    enabled: endpoint.enabled,
    enabled_events: endpoint.enabledEvents,
    previous_secret_expires_at: overlapEnds && overlapEnds > now ? unixSeconds(overlapEnds) : null,
    url: endpoint.url,
  };
}

export function presentEndpointWithSecret(endpoint: WebhookEndpoint): WebhookEndpointWithSecretView {
  return { ...presentEndpoint(endpoint), secret: endpoint.secret };
}

export function presentDelivery(delivery: WebhookDelivery): WebhookDeliveryView {
  return {
    id: delivery.id,
    object: 'webhook_delivery',
    attempts: delivery.attempts,
    created: unixSeconds(delivery.createdAt),
    endpoint: delivery.endpointId,
    event: delivery.eventId,
    next_attempt_at: delivery.nextAttemptAt ? unixSeconds(delivery.nextAttemptAt) : null,
    status: delivery.status,
    trigger: delivery.trigger,
  };
}

export function presentAttempt(attempt: WebhookDeliveryAttempt): WebhookDeliveryAttemptView {
  return {
    id: attempt.id,
    object: 'webhook_delivery_attempt',
    attempt: attempt.attempt,
    created: unixSeconds(attempt.createdAt),
    delivery: attempt.deliveryId,
    duration_ms: attempt.durationMs,
    endpoint: attempt.endpointId,
    error: attempt.error,
    event: attempt.eventId,
    event_type: attempt.eventType,
    status_code: attempt.statusCode,
    succeeded: attempt.succeeded,
    url: attempt.url,
  };
}
