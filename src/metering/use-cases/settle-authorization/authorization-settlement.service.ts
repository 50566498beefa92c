import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  MandateHoldPartCaptureService,
  MandateHoldService,
} from '../../../mandates/use-cases/settle-mandate-hold/mandate-hold.service.js';
import { EventRecorder } from '../../../webhooks/event-recorder.js';
import { presentAuthorization } from '../../authorization.presenter.js';
import { AuthorizationsRepository } from '../../authorizations.repository.js';
import { remainingOf, type UsageAuthorization } from '../../usage-authorization.entity.js';

export interface CaptureInput {
  /** Gross amount to capture now, 0 ≤ amount ≤ what is still held. */
  amount: bigint;
  /** Platform fee inside `amount`. */
  fee: bigint;
  /** Release whatever stays held after this capture. */
  final: boolean;
  /** Ledger transaction type of the posting: 'usage_charge' for usage, 'authorization_capture' otherwise. */
  type: string;
  at: Date;
}

/**
 * Moves money out of an authorization's hold, or releases it. Callers lock the authorization row first
 * (AuthorizationsRepository.lockMany) and pass the locked object; every capture has a deterministic ledger
 * reference built from the amount captured before it, which only grows, so a capture cannot be applied twice.
 */
@Injectable()
export class AuthorizationSettlementService {
  constructor(
    private readonly partCapture: MandateHoldPartCaptureService,
    private readonly holds: MandateHoldService,
    private readonly repository: AuthorizationsRepository,
    private readonly events: EventRecorder,
  ) {}

  /** Returns the ledger reference of the posting of the capture (null when nothing was captured). */
  async capture(
    manager: EntityManager,
    authorization: UsageAuthorization,
    input: CaptureInput,
  ): Promise<string | null> {
    const remaining = remainingOf(authorization);
    if (input.amount < 0n || input.amount > remaining) {
      throw new Error(`Authorization ${authorization.id} holds ${remaining}; cannot capture ${input.amount}.`);
    }
    const reference = `authorization:${authorization.id}:capture:${authorization.captured}`;
    let ledgerReference: string | null = null;
    if (input.amount > 0n) {
      const result = await this.partCapture.capturePart(manager, {
        mandateId: authorization.mandateId,
        holdTransactionId: authorization.holdTransactionId!,
        held: remaining,
        amount: input.amount,
        fee: input.fee,
        keepHolding: !input.final,
        countedDay: authorization.countedDay!,
        payerAccountId: authorization.payerAccountId!,
        receiverAccountId: authorization.accountId,
        currency: authorization.currency,
        reference,
        type: input.type,
        sourceType: 'usage_authorization',
        sourceId: authorization.id,
        at: input.at,
      });
      authorization.captured += input.amount;
      authorization.capturedFee += input.fee;
      authorization.holdTransactionId = result.holdTransactionId;
      ledgerReference = result.postingReference;
    } else if (input.final && remaining > 0n) {
      await this.holds.release(manager, {
        mandateId: authorization.mandateId,
        holdTransactionId: authorization.holdTransactionId!,
        amount: remaining,
        countedDay: authorization.countedDay!,
        reference: `${reference}:release`,
        at: input.at,
      });
      authorization.holdTransactionId = null;
    }
    if (input.final || authorization.captured === authorization.amount) {
      authorization.status = authorization.captured > 0n ? 'captured' : 'voided';
      authorization.closedAt = input.at;
    }
    authorization.updatedAt = input.at;
    await this.repository.save(manager, authorization);
    await this.events.record(manager, {
      accountId: authorization.accountId,
      type: authorization.status === 'voided' ? 'authorization.voided' : 'authorization.captured',
      object: presentAuthorization(authorization),
    });
    return ledgerReference;
  }

  /** Voids or expires what is still held: it returns to the wallet and to the mandate's limits. */
  async release(
    manager: EntityManager,
    authorization: UsageAuthorization,
    status: 'voided' | 'expired',
    at: Date,
  ): Promise<void> {
    const remaining = remainingOf(authorization);
    if (remaining > 0n && authorization.holdTransactionId) {
      await this.holds.release(manager, {
        mandateId: authorization.mandateId,
        holdTransactionId: authorization.holdTransactionId,
        amount: remaining,
        countedDay: authorization.countedDay!,
        reference: `authorization:${authorization.id}:${status}`,
        at,
      });
    }
    authorization.holdTransactionId = null;
    authorization.status = status;
    authorization.closedAt = at;
    authorization.updatedAt = at;
    await this.repository.save(manager, authorization);
    await this.events.record(manager, {
      accountId: authorization.accountId,
      type: `authorization.${status}`,
      object: presentAuthorization(authorization),
    });
  }
}
