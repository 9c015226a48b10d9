import type { AppliedPromotion } from '@tillstream/contracts';

/** What one promotion did in one document, or, added up, in a bucket. */
export interface PromotionFigures {
  promotionId: string;
  /** Documents (sales, orders) that applied it: a basket counts once however many of its lines it touched. */
  uses: number;
  /** Units on the lines it applied to. */
  units: number;
  /** What it took off, in minor units. */
  discount: number;
}

/** The promotions a document's lines name, each counted once for the document. */
export function promotionsOf(
  lines: ReadonlyArray<{ quantity: number; promotions?: readonly AppliedPromotion[] }>,
): PromotionFigures[] {
  const used = new Map<string, PromotionFigures>();
  for (const line of lines) {
    for (const applied of line.promotions ?? []) {
      const held = used.get(applied.promotionId) ?? {
        promotionId: applied.promotionId,
        uses: 1,
        units: 0,
        discount: 0,
      };
      used.set(applied.promotionId, {
        ...held,
        units: held.units + line.quantity,
        discount: held.discount + applied.amount,
      });
    }
  }
  return [...used.values()];
}

export function addPromotion(a: PromotionFigures, b: PromotionFigures): PromotionFigures {
  return {
    promotionId: a.promotionId,
    uses: a.uses + b.uses,
    units: a.units + b.units,
    discount: a.discount + b.discount,
  };
}
