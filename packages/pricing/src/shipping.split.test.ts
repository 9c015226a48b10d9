/** Goods heavier than a rate takes, sent as several parcels on a rate with `splitParcels`. */
import { describe, expect, it } from 'vitest';
import type { ShippingMethod } from '@tillstream/contracts';
import { AT, price, product, promotion, shippingMethod, snapshot, taxRate } from './pricing.fixtures.js';
import { compileSnapshot } from './snapshot.compile.js';
import { cartShippingOptions } from './quote.engine.js';

const web = { channel: 'web', currency: 'EUR' } as const;
type Lines = Array<{ sku: string; quantity: number }>;

// PostNL-like parcels: 4.95 up to 2 kg, 7.95 from 2 kg, 14.95 from 10 kg, 23 kg a parcel; free from 300.00.
const parcelRate = (extra: Partial<ShippingMethod['rates'][number]> = {}) => ({
  currency: 'EUR',
  amount: 495,
  freeFrom: 30_000,
  byWeight: [
    { fromGrams: 2000, amount: 795 },
    { fromGrams: 10_000, amount: 1495 },
  ],
  maxGrams: 23_000,
  ...extra,
});
const given = snapshot({
  products: [
    product('BOOK', 1000, { weightGrams: 500 }),
    product('KETTLEBELL', 4000, { weightGrams: 8000 }),
    product('ANVIL', 9000, { weightGrams: 25_000 }),
    product('GIFTCARD', 6000),
  ],
  taxRates: [taxRate('vat', { ratePpm: 210_000, inclusive: true })],
  shippingMethods: [
    shippingMethod('split', { rates: [parcelRate({ splitParcels: true })] }),
    shippingMethod('single', { rates: [parcelRate()] }),
  ],
});
// 30 kg: three kettlebells (24 kg) and twelve books (6 kg), 240.00 of goods.
const thirtyKilos: Lines = [
  { sku: 'KETTLEBELL', quantity: 3 },
  { sku: 'BOOK', quantity: 12 },
];
const shipped = (lines: Lines, methodId = 'split', extra: Parameters<typeof price>[2] = {}) =>
  price(given, lines, { ...web, shipping: { methodId, country: 'NL' }, ...extra });
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('not refused');
};

describe('goods split into parcels', () => {
  it('sends 30 kg as two parcels, each charged the band its own weight reaches', () => {
    // Kettlebells first: two in the first parcel with the books (22 kg), the third alone (8 kg).
    const quoted = shipped(thirtyKilos);
    expect(quoted.shipping).toMatchObject({
      amount: 1495 + 795,
      discountAmount: 0,
      netAmount: 2290,
      weightGrams: 30_000,
      parcels: 2,
    });
    expect(quoted.totals).toMatchObject({ net: 24_000, shipping: 2290, total: 24_000 + 2290 });
  });

  it('keeps goods a parcel takes as one parcel, saying nothing of parcels', () => {
    const quoted = shipped([{ sku: 'KETTLEBELL', quantity: 2 }]).shipping;
    expect(quoted).toMatchObject({ amount: 1495, weightGrams: 16_000 });
    expect(quoted).not.toHaveProperty('parcels');
  });

  it('refuses the same goods on a rate without splitParcels, as before', () => {
    expect(refusal(() => shipped(thirtyKilos, 'single'))).toMatchObject({
      code: 'shipping_not_available',
      details: { methodId: 'single', weightGrams: 30_000, maxGrams: 23_000 },
    });
  });

  it('refuses a unit no parcel takes, naming what it weighs', () => {
    expect(refusal(() => shipped([...thirtyKilos, { sku: 'ANVIL', quantity: 1 }]))).toMatchObject({
      code: 'shipping_not_available',
      details: { methodId: 'split', weightGrams: 25_000, maxGrams: 23_000 },
    });
  });

  it('refuses goods that need more than a hundred parcels', () => {
    // Two kettlebells a parcel: 300 of them need 150.
    expect(refusal(() => shipped([{ sku: 'KETTLEBELL', quantity: 300 }]))).toMatchObject({
      code: 'shipping_not_available',
      details: { methodId: 'split', weightGrams: 2_400_000, maxGrams: 23_000, maxParcels: 100 },
    });
  });

  it('waives every parcel’s charge from the free-from on', () => {
    const quoted = shipped([...thirtyKilos, { sku: 'GIFTCARD', quantity: 1 }]);
    expect(quoted.shipping).toMatchObject({
      amount: 2290,
      discountAmount: 2290,
      netAmount: 0,
      total: 0,
      parcels: 2,
    });
  });

  it('leaves a free-shipping promotion all the parcels to waive', () => {
    const withPromotion = snapshot({
      ...given,
      promotions: [promotion('ship', { effect: { type: 'free_shipping' } })],
    });
    const quoted = price(withPromotion, thirtyKilos, {
      ...web,
      shipping: { methodId: 'split', country: 'NL' },
    });
    expect(quoted.shipping).toMatchObject({
      amount: 2290,
      discountAmount: 2290,
      netAmount: 0,
      promotionId: 'ship',
      parcels: 2,
    });
    expect(quoted.promotions).toEqual([expect.objectContaining({ promotionId: 'ship', amount: 2290 })]);
  });

  it('offers the method that splits, priced for its parcels, and leaves out the one that does not', () => {
    const options = (lines: Lines) =>
      cartShippingOptions(compileSnapshot(given), { ...web, at: AT, lines }, { country: 'NL' }).map(
        ({ methodId, amount, parcels }) => ({ methodId, amount, parcels }),
      );
    expect(options(thirtyKilos)).toEqual([{ methodId: 'split', amount: 2290, parcels: 2 }]);
    expect(options([{ sku: 'BOOK', quantity: 1 }])).toEqual([
      { methodId: 'single', amount: 495, parcels: undefined },
      { methodId: 'split', amount: 495, parcels: undefined },
    ]);
  });
});
