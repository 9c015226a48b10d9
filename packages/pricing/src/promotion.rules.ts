import type { CouponStatus, Quote, QuoteLine } from '@tillstream/contracts';
import { isForBuyer, type Buyer } from './price-list.select.js';
import { effectShares, type PricedLine } from './promotion.effects.js';
import type { CompiledPromotion, CompiledRules } from './snapshot.compile.js';
import { inSchedule, localTime } from './time-window.js';

type Adjustment = QuoteLine['adjustments'][number];

export interface PromotionOutcome {
  /** Per line, in the order the promotions applied. */
  adjustments: Adjustment[][];
  applied: Quote['promotions'];
  coupons: Quote['coupons'];
}

/** Whether a line is in a set given by SKUs and categories; a set naming neither holds every line. */
function inLineSet(
  skus: ReadonlySet<string> | null,
  categories: ReadonlySet<string> | null,
  line: PricedLine,
) {
  if (!skus && !categories) return true;
  if (skus !== null && skus.has(line.sku)) return true;
  if (categories === null) return false;
  const lineCategories = line.categories;
  for (let index = 0; index < lineCategories.length; index += 1)
    if (categories.has(lineCategories[index]!)) return true;
  return false;
}

/** The lines the promotion targets that still have something to take off. */
function qualifyingLines(promotion: CompiledPromotion, lines: readonly PricedLine[]): number[] {
  const { bundleSkus, targetSkus, targetCategories } = promotion;
  const indexes: number[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    if (
      line.net > 0 &&
      inLineSet(targetSkus, targetCategories, line) &&
      (!bundleSkus || bundleSkus.has(line.sku))
    )
      indexes.push(index);
  }
  return indexes;
}

/** Buy X get Y: the lines the Y units may be given from, the bought ones unless the effect names others. */
function givenLines(promotion: CompiledPromotion, lines: readonly PricedLine[], qualifying: number[]) {
  const { getTarget } = promotion.effect;
  if (!getTarget) return qualifying;
  const indexes: number[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    if (line.net > 0 && inLineSet(getTarget.skus, getTarget.categories, line)) indexes.push(index);
  }
  return indexes;
}

/** Marks the promotions this cart can touch (see `promotionIndex`); the rest need not be tried. */
function candidatesFor(rules: CompiledRules, lines: readonly PricedLine[]): Uint8Array {
  const { everyCart, bySku, byCategory } = rules.promotionIndex;
  const marked = new Uint8Array(rules.promotions.length);
  for (const position of everyCart) marked[position] = 1;
  for (const line of lines) {
    for (const position of bySku.get(line.sku) ?? []) marked[position] = 1;
    for (const category of line.categories)
      for (const position of byCategory.get(category) ?? []) marked[position] = 1;
  }
  return marked;
}

/** The first entered code that belongs to the promotion. */
function enteredCode(promotion: CompiledPromotion, couponCodes: readonly string[]): string | undefined {
  for (const code of couponCodes) if (promotion.codes!.has(code)) return code;
  return undefined;
}

function isEligible(promotion: CompiledPromotion, buyer: Buyer): boolean {
  if (promotion.currency !== null && promotion.currency !== buyer.currency) return false;
  // A per-customer limit cannot be kept for a customer nobody knows.
  if (promotion.perCustomer && buyer.customerId === null) return false;
  if (!isForBuyer(promotion, buyer)) return false;
  return !promotion.schedule || inSchedule(promotion.schedule, localTime(promotion.schedule, buyer.at));
}

/**
 * Delivery a quote prices, for the free-shipping pass: its method, and what of its charge is left to waive
 * once the goods' net is known (0 when its free-from waived it already).
 */
export interface ShippingToWaive {
  methodId: string;
  chargeLeft(goodsNet: number): number;
}

/** The free-shipping promotion that waived a delivery's charge, and what it waived. */
export interface ShippingWaiver {
  promotionId: string;
  promotionVersion: number;
  name: string;
  couponCode?: string;
  amount: number;
}

/**
 * The stacking pass. Promotions are tried one by one in stacking order: highest `priority` first, ties by
 * id. Each works on what the promotions before it left. A promotion is skipped when its conditions do not
 * hold, when it is used up, when its spend threshold is not reached by the qualifying lines, or when it would
 * take nothing off. Otherwise:
 *
 * - an `exclusive` promotion applies only if nothing applied before it, and then ends the pass;
 * - of promotions sharing an `exclusiveGroup`, only the first that applies does;
 * - a `stackable` promotion applies on top of whatever applied before it.
 *
 * So priority alone decides which of two competing deals wins, never which one is larger.
 *
 * `free_shipping` promotions come after every promotion on the lines, whatever their priority: what is left of
 * the delivery's charge depends on what the goods come to. They follow the same rules among themselves and
 * with the lines' (an exclusive one applies only if nothing applied at all); the first that applies waives
 * the whole charge, so the rest take nothing.
 */
export function applyPromotions(
  rules: CompiledRules,
  lines: PricedLine[],
  buyer: Buyer,
  couponCodes: readonly string[],
  exhausted: ReadonlySet<string>,
  shipping: ShippingToWaive | null = null,
): PromotionOutcome & { shippingWaiver: ShippingWaiver | null } {
  const adjustments: Adjustment[][] = [];
  for (let index = 0; index < lines.length; index += 1) adjustments.push([]);
  const applied: Quote['promotions'] = [];
  const status = new Map<string, CouponStatus>(
    couponCodes.map((code) => [code, rules.promotionsByCode.has(code) ? 'not_applicable' : 'unknown']),
  );
  const groups = new Set<string>();
  let closed = false;

  /**
   * Whether a promotion may take something off now: its code entered, its conditions holding, not used up or
   * shut out, its lines in the cart and its spend reached. Marks the coupon of one used up or shut out.
   */
  const admitted = (promotion: CompiledPromotion) => {
    const code = promotion.codes ? enteredCode(promotion, couponCodes) : undefined;
    if (promotion.codes && code === undefined) return null;
    if (!isEligible(promotion, buyer)) return null;
    if (exhausted.has(promotion.id) || closed) {
      if (code !== undefined) status.set(code, closed ? 'not_combinable' : 'exhausted');
      return null;
    }
    const qualifying = qualifyingLines(promotion, lines);
    if (qualifying.length === 0) return null;
    if (promotion.minSubtotal !== null) {
      let subtotal = 0;
      for (const line of qualifying) subtotal += lines[line]!.net;
      if (subtotal < promotion.minSubtotal) return null;
    }
    return { code, qualifying };
  };
  /** Whether an exclusive rule keeps it out although it would take something off; marks its coupon so. */
  const shutOut = (promotion: CompiledPromotion, code: string | undefined) => {
    if (
      !(promotion.exclusive && applied.length > 0) &&
      !(promotion.exclusiveGroup !== null && groups.has(promotion.exclusiveGroup))
    )
      return false;
    if (code !== undefined) status.set(code, 'not_combinable');
    return true;
  };
  /** Records that it applied, taking `amount` in all. */
  const apply = (promotion: CompiledPromotion, code: string | undefined, amount: number) => {
    const summary: Quote['promotions'][number] = {
      promotionId: promotion.id,
      promotionVersion: promotion.version,
      name: promotion.name,
      type: promotion.effect.type,
      amount,
      limited: promotion.limited,
    };
    if (code !== undefined) summary.couponCode = code;
    applied.push(summary);
    if (code !== undefined) status.set(code, 'applied');
    if (promotion.exclusiveGroup !== null) groups.add(promotion.exclusiveGroup);
    if (promotion.exclusive) closed = true;
  };

  const candidates = candidatesFor(rules, lines);
  for (let position = 0; position < rules.promotions.length; position += 1) {
    if (candidates[position] === 0) continue;
    const promotion = rules.promotions[position]!;
    const admission = admitted(promotion);
    if (!admission) continue;
    const { code, qualifying } = admission;
    const shares = effectShares(
      promotion.effect,
      lines,
      qualifying,
      givenLines(promotion, lines, qualifying),
    );
    let amount = 0;
    for (const share of shares) amount += share.amount;
    if (amount === 0 || shutOut(promotion, code)) continue;
    for (const share of shares) {
      if (share.amount === 0) continue;
      lines[share.line]!.net -= share.amount;
      const adjustment: Adjustment = {
        promotionId: promotion.id,
        promotionVersion: promotion.version,
        name: promotion.name,
        type: promotion.effect.type,
        amount: share.amount,
        reason: share.reason,
      };
      if (code !== undefined) adjustment.couponCode = code;
      adjustments[share.line]!.push(adjustment);
    }
    apply(promotion, code, amount);
  }

  let shippingWaiver: ShippingWaiver | null = null;
  if (shipping) {
    let goodsNet = 0;
    for (const line of lines) goodsNet += line.net;
    const charge = shipping.chargeLeft(goodsNet);
    for (const promotion of rules.shippingPromotions) {
      const admission = admitted(promotion);
      if (!admission) continue;
      const { methodIds } = promotion.effect;
      if (methodIds !== null && !methodIds.has(shipping.methodId)) continue;
      // Nothing to waive: free already by its free-from, or waived by a promotion before this one.
      if (charge === 0 || shippingWaiver !== null || shutOut(promotion, admission.code)) continue;
      apply(promotion, admission.code, charge);
      shippingWaiver = {
        promotionId: promotion.id,
        promotionVersion: promotion.version,
        name: promotion.name,
        amount: charge,
        ...(admission.code !== undefined ? { couponCode: admission.code } : {}),
      };
    }
  }

  const coupons = couponCodes.map((code) => {
    const promotion = rules.promotionsByCode.get(code);
    return {
      code,
      status: status.get(code)!,
      ...(promotion ? { promotionId: promotion.id } : {}),
    };
  });
  return { adjustments, applied, coupons, shippingWaiver };
}
