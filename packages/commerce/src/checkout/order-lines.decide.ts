import type { AppliedPromotion, OrderPlacedV1Data, Quote } from '@tillstream/contracts';
import type { Cart, CartShipping } from '../carts/cart.decide.js';
import type { HoldRequest } from '../erp.port.js';

/** The delivery an order was charged for, as `commerce.order.placed` carries it. */
export type OrderShipping = NonNullable<OrderPlacedV1Data['shipping']>;

/** Each promotion's share of a line's discount, once per promotion, from the engine's adjustments. */
function appliedPromotions(adjustments: Quote['lines'][number]['adjustments']): AppliedPromotion[] {
  const byPromotion = new Map<string, number>();
  for (const adjustment of adjustments)
    byPromotion.set(
      adjustment.promotionId,
      (byPromotion.get(adjustment.promotionId) ?? 0) + adjustment.amount,
    );
  return [...byPromotion].map(([promotionId, amount]) => ({ promotionId, amount }));
}

/**
 * An order's lines as the quote priced them: what each costs the shopper (tax added on top included), the
 * tax inside, and the promotions that took something off (analytics counts their use).
 */
export function orderLinesOf(quote: Quote): OrderPlacedV1Data['lines'] {
  return quote.lines.map((line) => {
    const promotions = appliedPromotions(line.adjustments);
    return {
      lineNo: line.lineNo,
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      lineTotal: line.total,
      ...(promotions.length > 0 ? { promotions } : {}),
      ...(line.tax.amount > 0
        ? { tax: { ratePpm: line.tax.ratePpm, inclusive: line.tax.inclusive, amount: line.tax.amount } }
        : {}),
    };
  });
}

/**
 * The order's delivery from the quote that priced the cart's choice: what the shopper pays for it (its
 * `total`: 0 once free, tax added on top included, like a line's `lineTotal`), the tax inside, the address,
 * and the free-shipping promotion that waived it, with what it waived, as lines name theirs. Null when the cart chose none (a chain that does not ship online).
 */
export function orderShippingOf(quote: Quote, chosen: CartShipping | null): OrderShipping | null {
  if (!chosen || !quote.shipping) return null;
  const { shipping } = quote;
  const waivedBy = quote.promotions.find((applied) => applied.promotionId === shipping.promotionId);
  return {
    methodId: shipping.methodId,
    name: shipping.name,
    amount: shipping.total,
    tax: { ratePpm: shipping.tax.ratePpm, inclusive: shipping.tax.inclusive, amount: shipping.tax.amount },
    address: chosen.address,
    ...(chosen.pickupLocationId === undefined ? {} : { pickup: { locationId: chosen.pickupLocationId } }),
    ...(waivedBy ? { promotions: [{ promotionId: waivedBy.promotionId, amount: waivedBy.amount }] } : {}),
  };
}

/**
 * The lines checkout holds in ERP: for a collection (click and collect) each at the collection point and only
 * there, so the store the shopper comes to has the goods; otherwise wherever the channel allocates them.
 */
export function holdLinesOf(cart: Pick<Cart, 'lines' | 'shipping'>): HoldRequest['lines'] {
  const locationId = cart.shipping?.pickupLocationId;
  return locationId === undefined ? cart.lines : cart.lines.map((line) => ({ ...line, locationId }));
}
