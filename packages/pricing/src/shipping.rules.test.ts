import { describe, expect, it } from 'vitest';
import type { ShippingMethod } from '@tillstream/contracts';
import { PricingError } from './pricing.error.js';
import {
  price,
  priceList,
  product,
  promotion,
  shippingMethod,
  snapshot,
  taxRate,
} from './pricing.fixtures.js';
import { offersShipping, shippingOptions } from './shipping.rules.js';
import { compileSnapshot } from './snapshot.compile.js';

const web = { channel: 'web', currency: 'EUR' } as const;
const toNL = { methodId: 'standard', country: 'NL' };

describe('shipping in a quote', () => {
  const given = snapshot({
    products: [product('TEE', 2000), product('COAT', 6000)],
    priceLists: [priceList('dollars', [{ sku: 'TEE', amount: 2500 }], { currency: 'USD' })],
    taxRates: [taxRate('vat', { ratePpm: 210_000, inclusive: true })],
    shippingMethods: [
      shippingMethod('standard', { countries: ['NL', 'BE'] }),
      shippingMethod('express', {
        rates: [
          { currency: 'EUR', amount: 995 },
          { currency: 'USD', amount: 1500 },
        ],
      }),
      shippingMethod('courier', { enabled: false }),
      shippingMethod('till-only', { channels: ['pos'] }),
    ],
  });

  it('charges the rate, taxed like a line, and adds it to tax and total but not to the goods', () => {
    const result = price(given, [{ sku: 'TEE', quantity: 1 }], { ...web, shipping: toNL });
    expect(result.shipping).toEqual({
      methodId: 'standard',
      methodVersion: 1,
      name: 'Shipping standard',
      country: 'NL',
      amount: 495,
      freeFrom: 5000,
      discountAmount: 0,
      netAmount: 495,
      tax: { rateId: 'vat', taxCategory: 'standard', ratePpm: 210_000, inclusive: true, amount: 86 },
      total: 495,
    });
    expect(result.totals).toEqual({
      subtotal: 2000,
      discount: 0,
      net: 2000,
      shipping: 495,
      tax: 347 + 86,
      total: 2495,
    });
  });

  it('waives the rate once the goods net reaches free-from, after promotions', () => {
    const two = [
      { sku: 'TEE', quantity: 2 },
      { sku: 'COAT', quantity: 1 },
    ];
    expect(price(given, two, { ...web, shipping: toNL }).shipping).toMatchObject({
      discountAmount: 495,
      netAmount: 0,
      total: 0,
    });
    const discounted = snapshot({
      ...given,
      promotions: [promotion('tenoff', { effect: { type: 'amount_off_order', amount: 1000 } })],
    });
    const at5000 = price(discounted, [{ sku: 'COAT', quantity: 1 }], { ...web, shipping: toNL });
    expect(at5000.totals.net).toBe(5000);
    expect(at5000.shipping?.netAmount).toBe(0);
    const below = price(discounted, [{ sku: 'TEE', quantity: 3 }], { ...web, shipping: toNL });
    expect(below.totals.net).toBe(5000);
    expect(below.shipping?.total).toBe(0);
    const justBelow = snapshot({
      ...given,
      promotions: [promotion('tenoff', { effect: { type: 'amount_off_order', amount: 1001 } })],
    });
    expect(price(justBelow, [{ sku: 'COAT', quantity: 1 }], { ...web, shipping: toNL }).shipping?.total).toBe(
      495,
    );
  });

  it('adds exclusive tax on top of the charge', () => {
    const us = snapshot({ ...given, taxRates: [taxRate('sales', { ratePpm: 80_000, inclusive: false })] });
    const result = price(us, [{ sku: 'TEE', quantity: 1 }], {
      channel: 'web',
      currency: 'USD',
      shipping: { methodId: 'express', country: 'US' },
      lines: [{ sku: 'TEE', quantity: 1 }],
    });
    expect(result.shipping).toMatchObject({
      netAmount: 1500,
      tax: { amount: 120, inclusive: false },
      total: 1620,
    });
    expect(result.totals.total).toBe(result.lines[0]!.total + 1620);
  });

  it('refuses a method that is unknown, disabled or not offered in the channel', () => {
    for (const methodId of ['nope', 'courier', 'till-only']) {
      expect(() =>
        price(given, [{ sku: 'TEE', quantity: 1 }], { ...web, shipping: { methodId, country: 'NL' } }),
      ).toThrow(expect.objectContaining({ code: 'shipping_method_unknown', details: { methodId } }));
    }
  });

  it('refuses a destination the method does not deliver to, or a currency it has no rate in', () => {
    const attempt = (input: object) => () =>
      price(given, [{ sku: 'TEE', quantity: 1 }], { ...web, ...input });
    expect(attempt({ shipping: { methodId: 'standard', country: 'DE' } })).toThrow(PricingError);
    expect(attempt({ shipping: { methodId: 'standard', country: 'DE' } })).toThrow(
      expect.objectContaining({
        code: 'shipping_not_available',
        details: { methodId: 'standard', country: 'DE', currency: 'EUR' },
      }),
    );
    expect(attempt({ currency: 'USD', shipping: { methodId: 'standard', country: 'NL' } })).toThrow(
      expect.objectContaining({ code: 'shipping_not_available' }),
    );
  });

  it('leaves a quote without shipping exactly as it was', () => {
    const result = price(given, [{ sku: 'TEE', quantity: 1 }], web);
    expect(result).not.toHaveProperty('shipping');
    expect(result.totals).toEqual({ subtotal: 2000, discount: 0, net: 2000, tax: 347, total: 2000 });
  });
});

describe('shipping options', () => {
  it('lists what delivers there in the currency, priced for these goods, cheapest first', () => {
    const pricing = compileSnapshot(
      snapshot({
        shippingMethods: [
          shippingMethod('b-standard'),
          shippingMethod('a-parcel', { rates: [{ currency: 'EUR', amount: 495 }] }),
          shippingMethod('express', { rates: [{ currency: 'EUR', amount: 995 }] }),
          shippingMethod('benelux', { countries: ['NL', 'BE'], rates: [{ currency: 'EUR', amount: 100 }] }),
          shippingMethod('off', { enabled: false, rates: [{ currency: 'EUR', amount: 1 }] }),
          shippingMethod('dollars', { rates: [{ currency: 'USD', amount: 1 }] }),
        ],
      }),
    );
    const ids = (net: number) =>
      shippingOptions(pricing, { ...web, storeId: null }, 'DE', net).map((option) => [
        option.methodId,
        option.total,
      ]);
    expect(ids(1000)).toEqual([
      ['a-parcel', 495],
      ['b-standard', 495],
      ['express', 995],
    ]);
    expect(ids(5000)).toEqual([
      ['b-standard', 0],
      ['a-parcel', 495],
      ['express', 995],
    ]);
    expect(shippingOptions(pricing, { ...web, storeId: null }, 'NL', 0)[0]?.methodId).toBe('benelux');
  });
});

describe('offers shipping', () => {
  it('only with an enabled method of the channel that charges in the currency', () => {
    const offers = (methods: ShippingMethod[], channel = 'web') =>
      offersShipping(compileSnapshot(snapshot({ shippingMethods: methods })), { channel, currency: 'EUR' });
    expect(offers([])).toBe(false);
    expect(offers([shippingMethod('off', { enabled: false })])).toBe(false);
    expect(offers([shippingMethod('usd', { rates: [{ currency: 'USD', amount: 1 }] })])).toBe(false);
    expect(offers([shippingMethod('till', { channels: ['pos'] })])).toBe(false);
    expect(offers([shippingMethod('till', { channels: ['pos'] })], 'pos')).toBe(true);
    expect(offers([shippingMethod('home')])).toBe(true);
  });
});
