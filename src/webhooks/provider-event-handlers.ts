import { Injectable } from '@nestjs/common';
import { addTo } from '../common/collections/group.js';
import type { ProviderEvent } from '../providers/provider-event.js';

/**
 * Applies one provider event. Runs outside any transaction and may run again for the same event after a crash,
 * so it must be idempotent (deterministic ledger references, state machines that only move forward).
 */
export type ProviderEventHandler = (event: ProviderEvent) => Promise<void>;

/**
 * Where modules declare what they do with provider events, by event type (`payout.paid`,
 * `payment_intent.succeeded`, `account.updated`). Register in `onModuleInit`; events of a type nobody handles
 * are stored and marked processed.
 */
@Injectable()
export class ProviderEventHandlers {
  private readonly handlers = new Map<string, ProviderEventHandler[]>();

  register(type: string, handler: ProviderEventHandler): void {
    addTo(this.handlers, type, handler);
  }

  handlersFor(type: string): readonly ProviderEventHandler[] {
    return this.handlers.get(type) ?? [];
  }
}
