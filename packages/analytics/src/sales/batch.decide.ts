import {
  addFigures,
  addProduct,
  NO_FIGURES,
  type BucketKey,
  type ProductFigures,
  type SalesEffect,
  type SalesFigures,
} from './sales.decide.js';
import { addPromotion, type PromotionFigures } from './promotions.decide.js';
import { addRate, type RateFigures } from './tax-rates.decide.js';

/**
 * A consumer batch's effects added together per bucket and per bucket and SKU, so each row is written once
 * per batch. Addition is commutative: the totals do not depend on the order the documents arrive in.
 */
export interface BatchTotals {
  buckets: Map<string, { key: BucketKey; figures: SalesFigures }>;
  products: Map<string, { key: BucketKey; product: ProductFigures }>;
  promotions: Map<string, { key: BucketKey; promotion: PromotionFigures }>;
  rates: Map<string, { key: BucketKey; rate: RateFigures }>;
}

export const emptyBatch = (): BatchTotals => ({
  buckets: new Map(),
  products: new Map(),
  promotions: new Map(),
  rates: new Map(),
});

const keyText = (key: BucketKey) =>
  `${key.quarterHour}\u0000${key.channel}\u0000${key.locationId}\u0000${key.currency}`;

export function addEffect(totals: BatchTotals, effect: SalesEffect): void {
  const bucket = keyText(effect.key);
  const held = totals.buckets.get(bucket);
  totals.buckets.set(bucket, {
    key: effect.key,
    figures: addFigures(held?.figures ?? NO_FIGURES, effect.figures),
  });
  for (const product of effect.products) {
    const id = `${bucket}\u0000${product.sku}`;
    const known = totals.products.get(id);
    totals.products.set(id, {
      key: effect.key,
      product: known ? addProduct(known.product, product) : product,
    });
  }
  for (const promotion of effect.promotions) {
    const id = `${bucket}\u0000${promotion.promotionId}`;
    const known = totals.promotions.get(id);
    totals.promotions.set(id, {
      key: effect.key,
      promotion: known ? addPromotion(known.promotion, promotion) : promotion,
    });
  }
  for (const rate of effect.taxRates) {
    const id = `${bucket}\u0000${rate.ratePpm ?? ''}`;
    const known = totals.rates.get(id);
    totals.rates.set(id, { key: effect.key, rate: known ? addRate(known.rate, rate) : rate });
  }
}
