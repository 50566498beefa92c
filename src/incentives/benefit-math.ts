import { applyBasisPoints, prorate } from '../../libs/money/src/index.js';

const PERCENT = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

/** "12.5" (percent, at most two decimals) → 1250 basis points; null when malformed or outside (0, 100]. */
export function percentToBps(percent: string): number | null {
  const match = PERCENT.exec(percent);
  if (!match) return null;
  const bps = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return bps > 0 && bps <= 10_000 ? bps : null;
}

/** 1250 → "12.5", 5000 → "50", 1 → "0.01". */
export function bpsToPercent(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const fraction = String(bps % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/** The subsidy the terms promise on a token cost: cost × percent, rounded once half-even (never above cost). */
export function subsidyOf(cost: bigint, subsidyBps: number): bigint {
  return applyBasisPoints(cost, BigInt(subsidyBps));
}

/**
 * The benefit actually paid: the promise cut to the headroom left under the monthly cap (if any) and to the
 * budget that remains. Never negative.
 */
export function cutBenefit(requested: bigint, remainingBudget: bigint, capHeadroom: bigint | null): bigint {
  let amount = requested;
  if (capHeadroom !== null && capHeadroom < amount) amount = capHeadroom;
  if (remainingBudget < amount) amount = remainingBudget;
  return amount > 0n ? amount : 0n;
}

/**
 * How much of a benefit goes back to the budget when its basis has been refunded up to `basisRefundedTotal`
 * (cumulative, including this refund): the cumulative pro-rata share minus what earlier refunds returned. Working
 * on cumulative totals means partial refunds never drift from the proportion, and a full refund returns the whole
 * benefit to the nano.
 */
export function returnShare(
  benefit: { amount: bigint; basis: bigint; returned: bigint },
  basisRefundedTotal: bigint,
): bigint {
  const refunded = basisRefundedTotal > benefit.basis ? benefit.basis : basisRefundedTotal;
  const target = refunded === benefit.basis ? benefit.amount : prorate(benefit.amount, refunded, benefit.basis);
  const share = target - benefit.returned;
  return share > 0n ? share : 0n;
}

/** 'YYYY-MM-01': the UTC calendar month of an instant, as Postgres prints a `date`. */
export function utcMonth(instant: Date): string {
  return `${instant.toISOString().slice(0, 7)}-01`;
}
