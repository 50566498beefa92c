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
  /** 'payment', 'usage_charge'… so a discount can target one kind of charge. */
  sourceType: string;
}

/**
 * Where incentive programs plug in: basis points taken off the receiver's rate (fee discounts). The default
 * grants none; an incentives module rebinds FEE_DISCOUNT_SOURCE to its own implementation.
 */
export interface FeeDiscountSource {
  discountBps(context: FeeContext, manager?: EntityManager): Promise<number>;
}

export const FEE_DISCOUNT_SOURCE = Symbol('FEE_DISCOUNT_SOURCE');

@Injectable()
export class NoFeeDiscounts implements FeeDiscountSource {
  async discountBps(): Promise<number> {
    return 0;
  }
}

/**
 * The platform fee of a charge. Rule: fee = round_half_even(amount × bps / 10 000) + fixed, at most the
 * amount; bps and fixed come from the receiver's override when the operator set one, else the platform
 * defaults (PLATFORM_FEE_BPS, PLATFORM_FEE_FIXED), and any incentive discount lowers bps (never below 0).
 * `scheduleFor` is async (it may ask incentives) and is meant to be called once per batch; `feeFor` is pure.
 */
@Injectable()
export class FeeCalculator {
  private readonly defaultFixed: bigint;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FEE_DISCOUNT_SOURCE) private readonly discounts: FeeDiscountSource,
  ) {
    this.defaultFixed = parseAmount(config.platformFeeFixed);
  }

  async scheduleFor(context: FeeContext, manager?: EntityManager): Promise<FeeSchedule> {
    const bps = context.receiver.feeBps ?? this.config.platformFeeBps;
    const discount = await this.discounts.discountBps(context, manager);
    return {
      bps: Math.max(0, bps - Math.max(0, discount)),
      fixed: context.receiver.feeFixed ?? this.defaultFixed,
    };
  }

  static feeFor(schedule: FeeSchedule, amount: bigint): bigint {
    const fee = applyBasisPoints(amount, BigInt(schedule.bps)) + schedule.fixed;
    return fee > amount ? amount : fee;
  }
}
