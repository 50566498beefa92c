import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { eventObject, type ProviderEvent } from '../providers/provider-event.js';
import { ProviderEventHandlers } from '../webhooks/provider-event-handlers.js';
import {
  ApplyPayoutUpdateService,
  PayoutOutcome,
} from './use-cases/apply-payout-update/apply-payout-update.service.js';

/**
 * Stripe's payout webhooks. Each may arrive twice, late or out of order: the payout is found by the id we put
 * in its metadata (or Stripe's ids), and ApplyPayoutUpdateService only ever moves it forward.
 */
@Injectable()
export class StripePayoutEventsHandler implements OnModuleInit {
  constructor(
    private readonly handlers: ProviderEventHandlers,
    private readonly apply: ApplyPayoutUpdateService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (!this.config.stripeSecretKey) return;
    for (const type of ['payout.paid', 'payout.failed', 'payout.updated', 'payout.canceled']) {
      this.handlers.register(type, (event) => this.payoutChanged(event));
    }
    this.handlers.register('transfer.reversed', (event) => this.transferReversed(event));
  }

  private async payoutChanged(event: ProviderEvent): Promise<void> {
    const payout = eventObject(event);
    const status = String(payout.status ?? '');
    const outcome: PayoutOutcome | null =
      status === 'paid'
        ? { status: 'paid' }
        : status === 'failed' || status === 'canceled'
          ? {
              status: 'failed',
              failureCode: stringOrNull(payout.failure_code) ?? (status === 'canceled' ? 'canceled' : null),
              failureMessage: stringOrNull(payout.failure_message),
            }
          : status === 'in_transit' || status === 'pending'
            ? { status: 'in_transit' }
            : null;
    if (!outcome) return;
    const payoutId = metadataPayoutId(payout);
    await this.apply.apply('stripe', payoutId ? { payoutId } : { providerPayoutId: stringOrNull(payout.id) }, {
      ...outcome,
      providerPayoutId: stringOrNull(payout.id),
      arrivalDate: typeof payout.arrival_date === 'number' ? new Date(payout.arrival_date * 1000) : null,
    });
  }

  private async transferReversed(event: ProviderEvent): Promise<void> {
    const transfer = eventObject(event);
    const payoutId = metadataPayoutId(transfer) ?? stringOrNull(transfer.transfer_group);
    await this.apply.apply('stripe', payoutId ? { payoutId } : { providerTransferId: stringOrNull(transfer.id) }, {
      status: 'failed',
      transferReversed: true,
      providerTransferId: stringOrNull(transfer.id),
      failureCode: 'transfer_reversed',
      failureMessage: 'The transfer funding this payout was reversed at Stripe.',
    });
  }
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function metadataPayoutId(object: Record<string, unknown>): string | null {
  const metadata = object.metadata as Record<string, unknown> | undefined;
  const id = stringOrNull(metadata?.payout_id);
  return id?.startsWith('po_') ? id : null;
}
