import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LedgerService } from '../../../ledger/ledger.service.js';
import { MandateGiveBackService } from '../give-back-mandate-spend/give-back-mandate-spend.service.js';
import { MandatesRepository } from '../../mandates.repository.js';

export interface CaptureHoldInput {
  holdTransactionId: string;
  /** Ledger reference of the posting, deterministic (e.g. `payment:pay_…:confirm`). */
  reference: string;
}

export interface ReleaseHoldInput {
  mandateId: string;
  holdTransactionId: string;
  /** Gross amount that was held (counted against the mandate when the hold was placed). */
  amount: bigint;
  countedDay: string;
  /** Ledger reference of the void, deterministic (e.g. `payment:pay_…:cancel`). */
  reference: string;
  at?: Date;
}

/**
 * Settles a hold placed by MandateSpendService: capture posts it in full (the hold already counts against
 * the limits, so nothing is re-checked: the payer confirmed it); release voids it and gives the amount back
 * to the mandate's limits. The caller runs both inside its transaction, after locking its own object.
 */
@Injectable()
export class MandateHoldService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly giveBack: MandateGiveBackService,
  ) {}

  async capture(manager: EntityManager, input: CaptureHoldInput): Promise<string> {
    const tx = await this.ledger.postPending(input.holdTransactionId, { reference: input.reference }, manager);
    return tx.id;
  }

  async release(manager: EntityManager, input: ReleaseHoldInput): Promise<void> {
    // Mandate row before the wallet, the order every spend takes its locks in.
    await this.giveBack.giveBack(manager, {
      mandateId: input.mandateId,
      amount: input.amount,
      countedDay: input.countedDay,
      at: input.at,
    });
    await this.ledger.voidPending(input.holdTransactionId, { reference: input.reference }, manager);
  }
}

export interface CaptureHoldPartInput {
  mandateId: string;
  holdTransactionId: string;
  /** What the hold (one leg: payer wallet → receiver pending) holds now. */
  held: bigint;
  /** Gross amount captured now, 0 < amount ≤ held. */
  amount: bigint;
  /** Platform fee inside `amount`, taken from the receiver's share. */
  fee: bigint;
  /** true: the rest stays held in a new hold; false: the rest goes back to the wallet and the mandate. */
  keepHolding: boolean;
  /** The UTC day the hold was counted against the mandate (SpendResult.countedDay). */
  countedDay: string;
  payerAccountId: string;
  receiverAccountId: string;
  currency: string;
  /** Deterministic and unique per capture; the ledger references derive from it. */
  reference: string;
  type: string;
  sourceType: string;
  sourceId: string;
  at?: Date;
}

export interface CaptureHoldPartResult {
  /** The posting of the captured amount, and its reference. */
  ledgerTransactionId: string;
  postingReference: string;
  /** The hold standing for the rest, when kept. */
  holdTransactionId: string | null;
}

/**
 * Captures part of a single-leg hold, any number of times (multi-capture, e.g. usage against an "up to"
 * authorization): the hold is posted for `amount` (the ledger releases the rest), the fee moves from the
 * receiver's pending balance to the platform, and the rest is either held again in a new hold or given back
 * to the mandate. Nothing is re-checked: the whole hold already counts against the mandate's limits, and the
 * captured part stays counted. The mandate row is locked first, the order every spend takes its locks in.
 */
@Injectable()
export class MandateHoldPartCaptureService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly giveBack: MandateGiveBackService,
    private readonly mandates: MandatesRepository,
  ) {}

  async capturePart(manager: EntityManager, input: CaptureHoldPartInput): Promise<CaptureHoldPartResult> {
    if (input.amount <= 0n || input.amount > input.held || input.fee < 0n || input.fee > input.amount) {
      throw new Error(`Capture ${input.reference} needs 0 < amount ≤ held and 0 ≤ fee ≤ amount.`);
    }
    const rest = input.held - input.amount;
    if (rest > 0n && !input.keepHolding) {
      await this.giveBack.giveBack(manager, {
        mandateId: input.mandateId,
        amount: rest,
        countedDay: input.countedDay,
        at: input.at,
      });
    } else {
      await this.mandates.lockMandate(manager, input.mandateId);
    }
    const posting = await this.ledger.postPending(
      input.holdTransactionId,
      { reference: `${input.reference}:post`, amounts: [input.amount] },
      manager,
    );
    const pending = { owner: input.receiverAccountId, purpose: 'pending' as const, currency: input.currency };
    if (input.fee > 0n) {
      await this.ledger.post(
        {
          reference: `${input.reference}:fee`,
          type: input.type,
          sourceType: input.sourceType,
          sourceId: input.sourceId,
          legs: [
            {
              debit: pending,
              credit: { owner: 'platform', purpose: 'fees', currency: input.currency },
              amount: input.fee,
            },
          ],
        },
        manager,
      );
    }
    let holdTransactionId: string | null = null;
    if (rest > 0n && input.keepHolding) {
      const hold = await this.ledger.hold(
        {
          reference: `${input.reference}:hold`,
          type: input.type,
          sourceType: input.sourceType,
          sourceId: input.sourceId,
          legs: [
            {
              debit: { owner: input.payerAccountId, purpose: 'wallet', currency: input.currency },
              credit: pending,
              amount: rest,
            },
          ],
        },
        manager,
      );
      holdTransactionId = hold.id;
    }
    return { ledgerTransactionId: posting.id, postingReference: posting.reference, holdTransactionId };
  }
}
