import type { AppliedPromotion, OrderPlacedV1Data, Quote } from '@tillstream/contracts';

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
