/** Delivery by the goods' weight and by postcode: which rate a parcel pays, and which methods reach it. */
import { describe, expect, it } from 'vitest';
import { PricingError } from './pricing.error.js';
import { AT, price, product, shippingMethod, snapshot, taxRate } from './pricing.fixtures.js';
import { compileSnapshot } from './snapshot.compile.js';
import { cartShippingOptions } from './quote.engine.js';

const web = { channel: 'web', currency: 'EUR' } as const;
const toNL = { methodId: 'standard', country: 'NL' };

describe('rates by the goods’ weight', () => {
  // PostNL-like parcels: 4.95 up to 2 kg, 7.95 from 2 kg, 14.95 from 10 kg, nothing over 23 kg; free from 50.00.
  const parcels = shippingMethod('parcel', {
    rates: [
      {
        currency: 'EUR',
        amount: 495,
        freeFrom: 5000,
        byWeight: [
          { fromGrams: 2000, amount: 795 },
          { fromGrams: 10_000, amount: 1495 },
        ],
        maxGrams: 23_000,
      },
    ],
  });
  const given = snapshot({
    products: [
      product('BOOK', 1000, { weightGrams: 500 }),
      product('KETTLEBELL', 4000, { weightGrams: 8000 }),
      product('EBOOK', 500),
    ],
    taxRates: [taxRate('vat', { ratePpm: 210_000, inclusive: true })],
    shippingMethods: [
      parcels,
      shippingMethod('letter', { rates: [{ currency: 'EUR', amount: 195, maxGrams: 1999 }] }),
    ],
  });
  const charge = (lines: Array<{ sku: string; quantity: number }>, methodId = 'parcel') =>
    price(given, lines, { ...web, shipping: { methodId, country: 'NL' } }).shipping;

  it.each([
    ['a book: 500 g', [{ sku: 'BOOK', quantity: 1 }], 500, 495],
    ['four books: exactly 2 kg', [{ sku: 'BOOK', quantity: 4 }], 2000, 795],
    ['a kettlebell: 8 kg', [{ sku: 'KETTLEBELL', quantity: 1 }], 8000, 795],
    ['ebooks: nothing', [{ sku: 'EBOOK', quantity: 9 }], 0, 495],
  ])('charges %s the band it reaches', (_what, lines, weightGrams, amount) => {
    expect(charge(lines)).toMatchObject({ amount, netAmount: amount, discountAmount: 0, weightGrams });
  });

  it('charges the heaviest band reached, and its free-from waives whichever band applies', () => {
    expect(
      charge([
        { sku: 'KETTLEBELL', quantity: 1 },
        { sku: 'BOOK', quantity: 4 },
      ]),
    ).toMatchObject({
      weightGrams: 10_000,
      amount: 1495,
      netAmount: 0,
      discountAmount: 1495,
      total: 0,
    });
  });

  it('refuses goods heavier than the rate takes, saying what they weigh and what it takes', () => {
    const refusal = (() => {
      try {
        charge([{ sku: 'KETTLEBELL', quantity: 3 }]);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(PricingError);
    expect(refusal).toMatchObject({
      code: 'shipping_not_available',
      details: { methodId: 'parcel', weightGrams: 24_000, maxGrams: 23_000 },
    });
  });

  it('offers only the methods that take the goods, each at its band', () => {
    const pricing = compileSnapshot(given);
    const offered = (lines: Array<{ sku: string; quantity: number }>) =>
      cartShippingOptions(pricing, { ...web, at: AT, lines }, { country: 'NL' }).map((option) => [
        option.methodId,
        option.amount,
      ]);
    expect(offered([{ sku: 'BOOK', quantity: 1 }])).toEqual([
      ['letter', 195],
      ['parcel', 495],
    ]);
    expect(offered([{ sku: 'BOOK', quantity: 4 }])).toEqual([['parcel', 795]]);
    expect(offered([{ sku: 'KETTLEBELL', quantity: 3 }])).toEqual([]);
  });

  it('says no weight on a rate that does not go by it', () => {
    const flat = snapshot({ ...given, shippingMethods: [shippingMethod('standard')] });
    const quoted = price(flat, [{ sku: 'BOOK', quantity: 1 }], { ...web, shipping: toNL }).shipping;
    expect(quoted).toMatchObject({ amount: 495 });
    expect(quoted).not.toHaveProperty('weightGrams');
  });
});

describe('methods by postcode', () => {
  // The Wadden islands (Texel 1791–1797, Vlieland 8899, Terschelling 8881–8897) by an island service only.
  const ISLANDS = ['1791', '1792', '1793', '1794', '1795', '1796', '1797', '8899', '888', '889'];
  const given = snapshot({
    products: [product('TEE', 2000)],
    shippingMethods: [
      shippingMethod('mainland', { postcodes: [{ country: 'NL', exclude: ISLANDS }] }),
      shippingMethod('islands', {
        rates: [{ currency: 'EUR', amount: 1295 }],
        postcodes: [{ country: 'NL', include: ISLANDS }],
      }),
    ],
  });
  const pricing = compileSnapshot(given);
  const offered = (destination: { country: string; postalCode?: string }) =>
    cartShippingOptions(pricing, { ...web, at: AT, lines: [{ sku: 'TEE', quantity: 1 }] }, destination).map(
      (option) => option.methodId,
    );

  it.each([
    ['a mainland postcode', '3511 AN', ['mainland']],
    ['a Texel postcode, written as shoppers write it', '1791 ab', ['islands']],
    ['the same without its space', '1791AB', ['islands']],
    ['Terschelling by a shorter prefix', '8881-HA', ['islands']],
  ])('offers %s only the methods that reach it', (_what, postalCode, methods) => {
    expect(offered({ country: 'NL', postalCode })).toEqual(methods);
  });

  it('leaves a country without a rule, and a destination without a postcode, unchecked', () => {
    expect(offered({ country: 'BE', postalCode: '1791' })).toEqual(['mainland', 'islands']);
    expect(offered({ country: 'NL' })).toEqual(['mainland', 'islands']);
  });

  it('refuses a quote to a postcode the method does not reach, naming it', () => {
    const refusal = (() => {
      try {
        price(given, [{ sku: 'TEE', quantity: 1 }], {
          ...web,
          shipping: { methodId: 'mainland', country: 'NL', postalCode: '1796 AA' },
        });
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toMatchObject({
      code: 'shipping_not_available',
      details: { methodId: 'mainland', country: 'NL', postalCode: '1796 AA', currency: 'EUR' },
    });
    const islands = price(given, [{ sku: 'TEE', quantity: 1 }], {
      ...web,
      shipping: { methodId: 'islands', country: 'NL', postalCode: '1796 AA' },
    });
    expect(islands.shipping).toMatchObject({ amount: 1295 });
  });
});
