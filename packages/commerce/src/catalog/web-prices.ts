import type { PricingSnapshot, SnapshotProduct } from '@tillstream/contracts';
import { compileRules, quote, withProducts, type CompiledRules } from '@tillstream/pricing';

/** Integer minor units and an ISO 4217 code. */
export interface Money {
  amount: number;
  currency: string;
}

export interface ShownPrice {
  price: Money;
  /** The product's own price when the channel's price differs from it (a sale price), else null. */
  compareAtPrice: Money | null;
}

export interface PricedProduct {
  sku: string;
  price: Money;
}

/** ERP's price lists compiled once per snapshot version; products come from the projection. */
export interface WebPricing {
  version: number;
  rules: CompiledRules;
  /** Pricing attributes of each SKU (tax and promotion categories), as the snapshot has them. */
  products: ReadonlyMap<string, SnapshotProduct>;
}

export function compileWebPricing(snapshot: PricingSnapshot): WebPricing {
  return {
    version: snapshot.version,
    rules: compileRules(snapshot),
    products: new Map(snapshot.products.map((product) => [product.sku, product])),
  };
}

/**
 * What the storefront shows as a product's price on `channel` at `at` (epoch ms): the unit price of one unit
 * as the pricing engine selects it (price lists and sale prices active then), without cart promotions. The
 * base price comes from the projection (it is newer than any snapshot once a product event applied); with
 * no pricing yet, the base price is shown.
 */
export function priceFor(
  pricing: WebPricing | null,
  product: PricedProduct,
  channel: string,
  at: number,
): ShownPrice {
  const base: ShownPrice = { price: product.price, compareAtPrice: null };
  if (!pricing) return base;
  const known = pricing.products.get(product.sku);
  const priced: SnapshotProduct = {
    sku: product.sku,
    price: product.price,
    taxCategory: known?.taxCategory ?? 'standard',
    categories: known?.categories ?? [],
  };
  try {
    const [line] = quote(withProducts(pricing.rules, [priced], pricing.version), {
      channel,
      currency: product.price.currency,
      at: new Date(at).toISOString(),
      lines: [{ sku: product.sku, quantity: 1 }],
    }).lines;
    if (!line || line.unitPrice === product.price.amount) return base;
    return {
      price: { amount: line.unitPrice, currency: product.price.currency },
      compareAtPrice: product.price,
    };
  } catch {
    // An unpriceable product (no price in its currency) shows its own price rather than vanish.
    return base;
  }
}

/**
 * The next instant after `at` when some price list starts or ends: prices shown must be worked out again
 * then, even though no event arrives. Infinity when none is scheduled.
 */
export function nextPriceChange(pricing: WebPricing | null, at: number): number {
  let next = Infinity;
  if (!pricing) return next;
  for (const lists of pricing.rules.priceListsBySku.values()) {
    for (const list of lists) {
      if (list.window.start > at && list.window.start < next) next = list.window.start;
      if (list.window.end > at && list.window.end < next) next = list.window.end;
    }
  }
  return next;
}
