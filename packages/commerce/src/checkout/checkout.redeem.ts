import type { Quote } from '@tillstream/contracts';
import type { RedeemResult } from '../erp.port.js';

export type RedemptionVerdict = { ok: true } | { ok: false; exhausted: string[] };

/**
 * Whether ERP's redemption covers exactly the limited promotions the cart's quote applied. ERP prices the cart
 * again and leaves out an automatic promotion that is used up, so a taken redemption can still lack one the
 * shopper was shown: that one is `exhausted` too. A promotion ERP counted that the quote did not apply (the
 * storefront's snapshot is a moment behind) leaves `exhausted` empty: the redemption is not the order's.
 */
export function judgeRedemption(limited: readonly string[], answer: RedeemResult): RedemptionVerdict {
  if (!answer.redeemed) return { ok: false, exhausted: [...answer.promotionIds] };
  const exhausted = limited.filter((id) => !answer.promotionIds.includes(id));
  const extra = answer.promotionIds.filter((id) => !limited.includes(id));
  return exhausted.length === 0 && extra.length === 0 ? { ok: true } : { ok: false, exhausted };
}

/**
 * The coupons of the cart whose promotions are used up: the ones to drop. A coupon the snapshot already knew
 * was used up shows `exhausted` in the quote and applied nothing, yet ERP refuses the order while it is
 * entered, so it is named too, not only the coupons that applied.
 */
export function couponsToDrop(quote: Pick<Quote, 'coupons'>, exhausted: readonly string[]): string[] {
  return quote.coupons
    .filter((coupon) => coupon.promotionId !== undefined && exhausted.includes(coupon.promotionId))
    .map((coupon) => coupon.code);
}
