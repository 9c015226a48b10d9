import type {
  PriceList,
  PricingSnapshot,
  Promotion,
  ShippingMethod,
  SnapshotProduct,
  TaxRate,
} from '@tillstream/contracts';
import { quote, type PricingInput } from './quote.engine.js';
import { compileSnapshot } from './snapshot.compile.js';

/** Builders for the engine's tests: every definition gets sensible defaults, a test sets what it is about. */

/** A Wednesday, noon UTC (14:00 in Amsterdam, summer time). */
export const AT = '2026-06-10T12:00:00.000Z';

export function product(sku: string, amount: number, extra: Partial<SnapshotProduct> = {}): SnapshotProduct {
  return { sku, price: { amount, currency: 'EUR' }, taxCategory: 'standard', categories: [], ...extra };
}

export function promotion(id: string, extra: Partial<Promotion> & Pick<Promotion, 'effect'>): Promotion {
  return { id, version: 1, name: `Promotion ${id}`, priority: 0, stacking: 'stackable', ...extra };
}

export function priceList(
  id: string,
  prices: PriceList['prices'],
  extra: Partial<PriceList> = {},
): PriceList {
  return { id, version: 1, name: `List ${id}`, currency: 'EUR', priority: 0, prices, ...extra };
}

export function taxRate(id: string, extra: Partial<TaxRate> = {}): TaxRate {
  return { id, version: 1, name: id, taxCategory: 'standard', ratePpm: 210_000, inclusive: true, ...extra };
}

/** Delivery at €4.95, free from €50 of goods, taxed at the standard rate, unless the test says otherwise. */
export function shippingMethod(id: string, extra: Partial<ShippingMethod> = {}): ShippingMethod {
  return {
    id,
    version: 1,
    name: `Shipping ${id}`,
    rates: [{ currency: 'EUR', amount: 495, freeFrom: 5000 }],
    taxCategory: 'standard',
    ...extra,
  };
}

export function snapshot(
  parts: Partial<Omit<PricingSnapshot, 'version' | 'createdAt'>> = {},
): PricingSnapshot {
  return {
    version: 1,
    createdAt: '2026-06-01T00:00:00.000Z',
    products: [],
    priceLists: [],
    promotions: [],
    taxRates: [],
    ...parts,
  };
}

export type Lines = PricingInput['lines'];

/** Quotes a cart at the POS channel in EUR at `AT`, unless the input says otherwise. */
export function price(given: PricingSnapshot, lines: Lines, input: Partial<PricingInput> = {}) {
  return quote(compileSnapshot(given), { channel: 'pos', currency: 'EUR', at: AT, lines, ...input });
}
