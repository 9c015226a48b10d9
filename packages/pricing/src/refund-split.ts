import { shareOf, splitInTurn } from './rounding.js';

/**
 * How a refund of an online order is split over the order's tax rates, so that ERP's journal and analytics give
 * back each rate's goods and tax alike, to the cent, however the order is refunded.
 */

/**
 * What `weights` take of a running total as it goes from `before` to `after`: split at each, the difference. Split
 * in turn, so that no step of a growing total gives any part less than nothing.
 */
function allocatedBetween(weights: readonly number[], before: number, after: number): number[] {
  const then = splitInTurn(before, weights);
  return splitInTurn(after, weights).map((part, index) => part - then[index]!);
}

/** A part of an order at one tax rate: its goods (and delivery) without tax, and the tax on them. */
export interface RatedPart {
  ratePpm: number | null;
  net: number;
  tax: number;
}

/**
 * One refund of an order: its `amount`, the order's refunded total after it (`refunded`) and, when its event
 * says them, the part of it that gives back the delivery (`shipping`) and the order's running total of that
 * (`shippingRefunded`).
 */
export interface RefundStep {
  amount: number;
  refunded: number;
  shipping?: number | undefined;
  shippingRefunded?: number | undefined;
}

/**
 * What one refund of an order gives back of each of its parts (per tax rate, `net` and `tax`), index by index.
 *
 * When the order's delivery is known apart (`delivery`: its net, tax and rate; null for an order without one)
 * and the refund states the order's running delivery total, the goods and the delivery are given back each at
 * their own rates: the delivery the refund names on the running delivery total, the rest on the running goods
 * total over the goods' rates. A refund that names no delivery gives back goods, and delivery only once the
 * goods are given back in full, so an order refunded in full gives back every rate's goods and tax to the cent
 * whatever its refunds named. Otherwise (an order or refund from before the delivery was known apart) the refund
 * is split over all parts in proportion (`blendedShares`).
 */
export function refundShares(
  parts: readonly RatedPart[],
  order: { total: number; tax: number },
  refund: RefundStep,
  delivery?: RatedPart | null,
): Array<{ gross: number; tax: number }> {
  const { shippingRefunded } = refund;
  if (delivery === undefined || shippingRefunded === undefined) return blendedShares(parts, order, refund);
  const known = { ...refund, shippingRefunded };
  if (!delivery || delivery.net + delivery.tax === 0)
    return deliveryAndGoods(parts, order, known, NO_DELIVERY, -1);
  const at = parts.findIndex((part) => part.ratePpm === delivery.ratePpm);
  const deliveryFits = at >= 0 && parts[at]!.net >= delivery.net && parts[at]!.tax >= delivery.tax;
  return deliveryFits
    ? deliveryAndGoods(parts, order, known, delivery, at)
    : blendedShares(parts, order, refund);
}

/**
 * Where a refund starts and ends on the order's goods and on its delivery, each a running gross total: the
 * delivery it names on the delivery, the rest on the goods. Delivery named beyond what the order charged or
 * what was refunded (no commerce refund does) is goods, as an unnamed refund is; goods beyond the order's goods
 * are delivery.
 */
function stretchOf(
  orderTotal: number,
  deliveryGross: number,
  refund: RefundStep & { shippingRefunded: number },
): Record<'before' | 'after', { goods: number; delivery: number }> {
  const goodsTotal = Math.max(orderTotal - deliveryGross, 0);
  const positions = (named: number, refunded: number) => {
    // No more delivery than the order charged, nor than was refunded (no commerce refund names more).
    const delivered = Math.max(Math.min(named, deliveryGross, refunded), 0);
    const goodsDone = Math.max(refunded - delivered, 0);
    return {
      goods: Math.min(goodsDone, goodsTotal),
      delivery: Math.min(delivered + Math.max(goodsDone - goodsTotal, 0), deliveryGross),
    };
  };
  // What this refund names, at most the refund itself: so neither part goes back from one refund to the next.
  const namedNow = Math.min(Math.max(refund.shipping ?? 0, 0), refund.amount);
  return {
    before: positions(refund.shippingRefunded - namedNow, refund.refunded - refund.amount),
    after: positions(refund.shippingRefunded, refund.refunded),
  };
}

/** What one refund gives back of its order's goods and of its delivery, as `refundShares` splits it. */
export interface RefundParts {
  /** Where the refund starts on the goods' running gross total, what it gives back of them, and their total. */
  goods: { before: number; given: number; total: number };
  /** What it gives back of the delivery, gross, and the delivery's tax in that. */
  delivery: { gross: number; tax: number };
}

/**
 * The refund's goods and delivery parts, as `refundShares` splits it: undefined when that split is not known
 * (the delivery not known apart, or a refund that does not state the running delivery total); an order without
 * a charged delivery is all goods.
 */
export function refundParts(
  order: { total: number },
  refund: RefundStep,
  delivery?: RatedPart | null,
): RefundParts | undefined {
  const { shippingRefunded } = refund;
  if (delivery === undefined || shippingRefunded === undefined) return undefined;
  return partsOf(order.total, { ...refund, shippingRefunded }, delivery ?? NO_DELIVERY);
}

const NO_DELIVERY: RatedPart = { ratePpm: null, net: 0, tax: 0 };

function partsOf(
  orderTotal: number,
  refund: RefundStep & { shippingRefunded: number },
  delivery: RatedPart,
): RefundParts {
  const deliveryGross = delivery.net + delivery.tax;
  const { before, after } = stretchOf(orderTotal, deliveryGross, refund);
  const given = after.delivery - before.delivery;
  return {
    goods: {
      before: before.goods,
      given: after.goods - before.goods,
      total: Math.max(orderTotal - deliveryGross, 0),
    },
    delivery: { gross: given, tax: shareOf(delivery.tax, deliveryGross, before.delivery, given) },
  };
}

/**
 * The refund split over the goods' parts on the running goods total, and the delivery's part (at index `at`,
 * none when -1) on the running delivery total.
 */
function deliveryAndGoods(
  parts: readonly RatedPart[],
  order: { total: number; tax: number },
  refund: RefundStep & { shippingRefunded: number },
  delivery: RatedPart,
  at: number,
): Array<{ gross: number; tax: number }> {
  const split = partsOf(order.total, refund, delivery);
  const { before, given, total } = split.goods;
  const goodsTax = Math.max(order.tax - delivery.tax, 0);
  const goods = parts.map((part, index) =>
    index === at ? { net: part.net - delivery.net, tax: part.tax - delivery.tax } : part,
  );
  const goodsTaxUpTo = (done: number) => shareOf(goodsTax, total, 0, done);
  const gross = allocatedBetween(
    goods.map((part) => part.net + part.tax),
    before,
    before + given,
  );
  const taxes = allocatedBetween(
    goods.map((part) => part.tax),
    goodsTaxUpTo(before),
    goodsTaxUpTo(before + given),
  );
  const shares = gross.map((part, index) => ({ gross: part, tax: taxes[index]! }));
  if (at >= 0) {
    shares[at]!.gross += split.delivery.gross;
    shares[at]!.tax += split.delivery.tax;
  }
  return shares;
}

/**
 * The refund split over all the order's parts in proportion: the parts' share of the order's refunded total so
 * far (at most its total), less what earlier refunds took, so that refunds one by one add up, part by part, to
 * the parts exactly. The tax in it is the order's tax share of that total, split over the parts the same way.
 */
function blendedShares(
  parts: ReadonlyArray<{ net: number; tax: number }>,
  order: { total: number; tax: number },
  refund: { refunded: number; amount: number },
): Array<{ gross: number; tax: number }> {
  const before = Math.min(refund.refunded - refund.amount, order.total);
  const after = Math.min(refund.refunded, order.total);
  const taxUpTo = (refunded: number) => shareOf(order.tax, order.total, 0, refunded);
  const gross = allocatedBetween(
    parts.map((part) => part.net + part.tax),
    before,
    after,
  );
  const taxes = allocatedBetween(
    parts.map((part) => part.tax),
    taxUpTo(before),
    taxUpTo(after),
  );
  return gross.map((part, index) => ({ gross: part, tax: taxes[index]! }));
}
