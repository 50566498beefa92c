import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { applyBasisPoints, parseAmount } from '../../../libs/money/src/index.js';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.tokens.js';

/** What a receiver pays the platform per charge: a rate in basis points plus a fixed amount. */
export interface FeeSchedule {
  bps: number;
  /** Nanos, charged once per payment (or per usage charge). */
  fixed: bigint;
}

/** The receiver fields that decide its fee (Account.feeBps / feeFixed: the operator's override). */
export interface FeeReceiver {
  id: string;
  feeBps: number | null;
  feeFixed: bigint | null;
}

export interface FeeContext {
  receiver: FeeReceiver;
  currency: string;
  at: Date;
  /** 'payment', 'usage_charge'… the kind of charge being priced. */
  sourceType: string;
}

/** One accepted charge that paid its fee at the receiver's normal rate. */
export interface FeeRebateCharge {
  /** 'payment', 'usage_event'… and its id: the rebate's source, so a retry can never pay it twice. */
  sourceType: string;
  sourceId: string;
  /** Gross amount and the fee it paid, nanos. */
  amount: bigint;
  fee: bigint;
}

export interface FeeRebateRequest {
  receiverAccountId: string;
  currency: string;
  /** The schedule the fees were priced with (the discount replaces its rate). */
  schedule: FeeSchedule;
  at: Date;
  charges: FeeRebateCharge[];
}

export interface FeeRebateReturn {
  sourceType: string;
  sourceId: string;
  /** How much of the charge this refund gives back, nanos. */
  refundedAmount: bigint;
  /** The refund: one give-back per refund, so a retry is a no-op. */
  refundId: string;
}

/**
 * Where incentive programs plug in fee discounts. A charge always pays the fee at the receiver's normal rate;
 * a discount is paid back to the receiver as a rebate from a program budget, inside the charge's transaction
 * and after it moved, so it shows in the ledger as program spend and stops when the budget does. A refund
 * gives the rebate back in proportion. The default grants none; the incentives module binds FEE_REBATE_HOOK.
 */
export interface FeeRebateHook {
  /** Returns, per charge and in order, the rebate paid (0n for none). Must not throw for charges it ignores. */
  rebate(manager: EntityManager, request: FeeRebateRequest): Promise<bigint[]>;
  /** Returns what went back to budgets. */
  giveBack(manager: EntityManager, request: FeeRebateReturn): Promise<bigint>;
}

export const FEE_REBATE_HOOK = Symbol('FEE_REBATE_HOOK');

@Injectable()
export class NoFeeRebates implements FeeRebateHook {
  async rebate(_manager: EntityManager, request: FeeRebateRequest): Promise<bigint[]> {
    return request.charges.map(() => 0n);
  }

  async giveBack(): Promise<bigint> {
    return 0n;
  }
}

/**
 * The platform fee of a charge. Rule: fee = round_half_even(amount × bps / 10 000) + fixed, at most the
 * amount; bps and fixed come from the receiver's override when the operator set one, else the platform
 * defaults (PLATFORM_FEE_BPS, PLATFORM_FEE_FIXED). Incentive fee discounts never lower it: they are paid back
 * as rebates from program budgets (FeeRebateHook). `scheduleFor` is meant to be called once per batch;
 * `feeFor` is pure.
 */
@Injectable()
export class FeeCalculator {
  private readonly defaultFixed: bigint;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.defaultFixed = parseAmount(config.platformFeeFixed);
  }

  async scheduleFor(context: FeeContext, _manager?: EntityManager): Promise<FeeSchedule> {
    return {
      bps: context.receiver.feeBps ?? this.config.platformFeeBps,
      fixed: context.receiver.feeFixed ?? this.defaultFixed,
    };
  }

  static feeFor(schedule: FeeSchedule, amount: bigint): bigint {
    const fee = applyBasisPoints(amount, BigInt(schedule.bps)) + schedule.fixed;
    return fee > amount ? amount : fee;
  }
}
