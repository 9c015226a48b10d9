import type { QuoteLine, SnapshotProduct } from '@tillstream/contracts';
import type { CompiledAudience, CompiledPriceList, CompiledRules } from './snapshot.compile.js';
import { inWindow } from './time-window.js';

/** The parts of a quote request that decide who is buying, where and when. */
export interface Buyer {
  channel: string;
  currency: string;
  storeId: string | null;
  /** Needed by promotions limited per customer: without it they do not apply. */
  customerId: string | null;
  customerGroups: readonly string[];
  /** Epoch milliseconds. */
  at: number;
}

/** Whether a price list or promotion is for this buyer: each filter it sets must match. */
export function isForBuyer(audience: CompiledAudience, buyer: Buyer): boolean {
  if (!audience.enabled || !inWindow(audience.window, buyer.at)) return false;
  if (audience.channels && !audience.channels.has(buyer.channel)) return false;
  if (audience.storeIds && (buyer.storeId === null || !audience.storeIds.has(buyer.storeId))) return false;
  if (audience.customerGroups && !buyer.customerGroups.some((group) => audience.customerGroups!.has(group)))
    return false;
  return true;
}

export interface UnitPrice {
  unitPrice: number;
  source: QuoteLine['priceSource'];
}

/**
 * The unit price of a SKU bought `quantity` times in the whole cart (tiers count every line of the SKU).
 * Among the price lists for this buyer, in this currency, that have a tier the quantity reaches, the highest
 * priority wins; at equal priority the lower price wins, then the smaller id. Within a list the largest tier
 * reached applies. Without any, the product's own price applies, if it is in the currency.
 */
export function selectUnitPrice(
  rules: CompiledRules,
  product: SnapshotProduct,
  quantity: number,
  buyer: Buyer,
): UnitPrice | null {
  let best: { list: CompiledPriceList; amount: number; minQuantity: number } | null = null;
  for (const list of rules.priceListsBySku.get(product.sku) ?? []) {
    if (best && list.priority < best.list.priority) break;
    if (list.currency !== buyer.currency || !isForBuyer(list, buyer)) continue;
    const tier = list.tiers.get(product.sku)!.find((candidate) => candidate.minQuantity <= quantity);
    if (!tier) continue;
    if (!best || tier.amount < best.amount)
      best = { list, amount: tier.amount, minQuantity: tier.minQuantity };
  }
  if (best) {
    return {
      unitPrice: best.amount,
      source: {
        kind: 'price_list',
        priceListId: best.list.id,
        priceListVersion: best.list.version,
        minQuantity: best.minQuantity,
      },
    };
  }
  if (product.price.currency !== buyer.currency) return null;
  return { unitPrice: product.price.amount, source: { kind: 'base' } };
}
