import { describe, expect, it } from 'vitest';
import type { ShippingMethod } from '@tillstream/contracts';
import { PricingError } from './pricing.error.js';
import {
  AT,
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
import { cartShippingOptions } from './quote.engine.js';

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
      shippingOptions(
        pricing,
        { ...web, storeId: null },
        { country: 'DE' },
        { goodsNet: net, weightGrams: 0 },
      ).map((option) => [option.methodId, option.total]);
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
    expect(
      shippingOptions(
        pricing,
        { ...web, storeId: null },
        { country: 'NL' },
        { goodsNet: 0, weightGrams: 0 },
      )[0]?.methodId,
    ).toBe('benelux');
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

describe('free-shipping promotions', () => {
  const freeShipping = (id: string, extra: Partial<Parameters<typeof promotion>[1]> = {}) =>
    promotion(id, { effect: { type: 'free_shipping' }, ...extra });
  const given = (promotions: ReturnType<typeof promotion>[]) =>
    snapshot({
      products: [product('TEE', 2000), product('MUG', 1000)],
      taxRates: [taxRate('vat', { ratePpm: 210_000, inclusive: true })],
      shippingMethods: [
        shippingMethod('standard'),
        shippingMethod('express', { rates: [{ currency: 'EUR', amount: 995 }] }),
      ],
      promotions,
    });
  const tee = [{ sku: 'TEE', quantity: 1 }];
  const quoteWith = (snap: ReturnType<typeof snapshot>, input: object = {}, lines = tee) =>
    price(snap, lines, { ...web, shipping: toNL, ...input });

  it('waives the whole charge with its coupon, names itself, and lists what it waived', () => {
    const result = quoteWith(given([freeShipping('ship', { couponCodes: ['FREESHIP'] })]), {
      couponCodes: ['freeship'],
    });
    expect(result.shipping).toMatchObject({
      amount: 495,
      discountAmount: 495,
      netAmount: 0,
      total: 0,
      promotionId: 'ship',
    });
    expect(result.shipping?.tax.amount).toBe(0);
    expect(result.promotions).toEqual([
      expect.objectContaining({
        promotionId: 'ship',
        type: 'free_shipping',
        amount: 495,
        couponCode: 'FREESHIP',
      }),
    ]);
    expect(result.coupons).toEqual([{ code: 'FREESHIP', status: 'applied', promotionId: 'ship' }]);
    expect(result.totals).toMatchObject({ net: 2000, shipping: 0, total: 2000 });
    expect(result.lines[0]!.adjustments).toEqual([]);
  });

  it('applies only to the methods it names, to the goods it targets, from its spend', () => {
    const onlyStandard = given([
      freeShipping('ship', { effect: { type: 'free_shipping', methodIds: ['standard'] } }),
    ]);
    expect(quoteWith(onlyStandard).shipping?.promotionId).toBe('ship');
    expect(
      quoteWith(onlyStandard, { shipping: { methodId: 'express', country: 'NL' } }).shipping,
    ).toMatchObject({
      total: 995,
    });
    const mugs = given([freeShipping('mugs', { target: { skus: ['MUG'] } })]);
    expect(quoteWith(mugs).shipping?.total).toBe(495);
    expect(quoteWith(mugs, {}, [...tee, { sku: 'MUG', quantity: 1 }]).shipping?.total).toBe(0);
    const spend = given([freeShipping('spend', { minSubtotal: 3000, currency: 'EUR' })]);
    expect(quoteWith(spend).shipping?.total).toBe(495);
    expect(quoteWith(spend, {}, [{ sku: 'TEE', quantity: 2 }]).shipping?.total).toBe(0);
  });

  it('waives nothing already free from its threshold, and reports its coupon not applicable', () => {
    const result = quoteWith(
      given([freeShipping('ship', { couponCodes: ['FREESHIP'] })]),
      { couponCodes: ['FREESHIP'] },
      [{ sku: 'TEE', quantity: 3 }],
    );
    expect(result.shipping).toMatchObject({ total: 0, discountAmount: 495 });
    expect(result.shipping).not.toHaveProperty('promotionId');
    expect(result.promotions).toEqual([]);
    expect(result.coupons[0]!.status).toBe('not_applicable');
  });

  it('comes after the lines’ promotions: an exclusive one on the lines shuts it out, whatever its priority', () => {
    const result = quoteWith(
      given([
        freeShipping('ship', { priority: 100, couponCodes: ['FREESHIP'] }),
        promotion('tenoff', {
          stacking: 'exclusive',
          effect: { type: 'percent_off_lines', basisPoints: 1000 },
        }),
      ]),
      { couponCodes: ['FREESHIP'] },
    );
    expect(result.promotions.map((applied) => applied.promotionId)).toEqual(['tenoff']);
    expect(result.coupons[0]!.status).toBe('not_combinable');
    expect(result.shipping?.total).toBe(495);
  });

  it('lets the first in stacking order waive it, and leaves a till’s quote without delivery alone', () => {
    const snap = given([freeShipping('a-low', { priority: 1 }), freeShipping('b-high', { priority: 5 })]);
    const result = quoteWith(snap);
    expect(result.promotions.map((applied) => applied.promotionId)).toEqual(['b-high']);
    const till = price(snap, tee);
    expect(till.promotions).toEqual([]);
    expect(till).not.toHaveProperty('shipping');
  });

  it('is not used up by a quote it could not apply to: a used-up one is reported exhausted', () => {
    const result = quoteWith(
      given([freeShipping('ship', { couponCodes: ['FREESHIP'], limits: { totalUses: 1 } })]),
      {
        couponCodes: ['FREESHIP'],
        exhaustedPromotionIds: ['ship'],
      },
    );
    expect(result.coupons[0]!.status).toBe('exhausted');
    expect(result.shipping?.total).toBe(495);
  });
});

describe('a cart’s shipping options', () => {
  it('price each method as the cart’s quote would, its free-shipping coupon included', () => {
    const pricing = compileSnapshot(
      snapshot({
        products: [product('TEE', 2000)],
        shippingMethods: [
          shippingMethod('standard'),
          shippingMethod('express', { rates: [{ currency: 'EUR', amount: 995 }] }),
        ],
        promotions: [
          promotion('ship', {
            couponCodes: ['FREEEXPRESS'],
            effect: { type: 'free_shipping', methodIds: ['express'] },
          }),
        ],
      }),
    );
    const input = { channel: 'web', currency: 'EUR', at: AT, lines: [{ sku: 'TEE', quantity: 1 }] };
    const options = (couponCodes: string[]) =>
      cartShippingOptions(pricing, { ...input, couponCodes }, { country: 'NL' }).map((option) => [
        option.methodId,
        option.total,
        option.promotionId ?? null,
      ]);
    expect(options([])).toEqual([
      ['standard', 495, null],
      ['express', 995, null],
    ]);
    expect(options(['FREEEXPRESS'])).toEqual([
      ['express', 0, 'ship'],
      ['standard', 495, null],
    ]);
  });
});
