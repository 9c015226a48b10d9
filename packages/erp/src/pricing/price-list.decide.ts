import type { PriceList, PriceListBody } from '@tillstream/contracts';
import { checkWindow, validationFailed } from './definition.decide.js';

/** A price list as stored: `enabled` filled in, tiers sorted by SKU then quantity, each tier listed once. */
export function normalizePriceList(id: string, body: PriceListBody): Omit<PriceList, 'version'> {
  checkWindow(body);
  const seen = new Set<string>();
  for (const [index, price] of body.prices.entries()) {
    const tier = `${price.sku}@${price.minQuantity ?? 1}`;
    if (seen.has(tier))
      throw validationFailed(
        `/prices/${index}`,
        `repeats ${price.sku} for quantity ${price.minQuantity ?? 1}`,
      );
    seen.add(tier);
  }
  const prices = body.prices
    .map((price) => ({ sku: price.sku, amount: price.amount, minQuantity: price.minQuantity ?? 1 }))
    .sort((left, right) =>
      left.sku < right.sku ? -1 : left.sku > right.sku ? 1 : left.minQuantity - right.minQuantity,
    );
  return { ...body, id, enabled: body.enabled ?? true, prices };
}
