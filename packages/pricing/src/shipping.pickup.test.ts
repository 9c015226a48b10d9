/** Click and collect: a collection method is offered to every shopper and names where they collect. */
import { describe, expect, it } from 'vitest';
import { price, product, shippingMethod, snapshot, taxRate } from './pricing.fixtures.js';
import { compileSnapshot } from './snapshot.compile.js';
import { cartShippingOptions } from './quote.engine.js';
import { pickupPoints } from './shipping.rules.js';

const web = { channel: 'web', currency: 'EUR' } as const;
const amsterdam = {
  locationId: 'store-amsterdam',
  address: { line1: 'Kalverstraat 92', postalCode: '1012 PH', city: 'Amsterdam', country: 'NL' },
};

describe('collection methods', () => {
  const given = snapshot({
    products: [product('TEE', 2000, { weightGrams: 300 }), product('SOFA', 90_000, { weightGrams: 60_000 })],
    taxRates: [taxRate('vat', { ratePpm: 210_000, inclusive: true })],
    shippingMethods: [
      shippingMethod('standard', { countries: ['NL'], rates: [{ currency: 'EUR', amount: 495 }] }),
      shippingMethod('collect-ams', {
        name: 'Collect at Kalverstraat',
        pickup: amsterdam,
        rates: [{ currency: 'EUR', amount: 0, maxGrams: 25_000 }],
      }),
    ],
  });
  const options = (country: string, sku = 'TEE') =>
    cartShippingOptions(
      compileSnapshot(given),
      { ...web, at: '2026-03-01T12:00:00.000Z', lines: [{ sku, quantity: 1 }] },
      { country },
    );

  it('offers collection to a shopper in any country, naming the collection point', () => {
    expect(options('NL').map((option) => [option.methodId, option.total, option.pickup])).toEqual([
      ['collect-ams', 0, amsterdam],
      ['standard', 495, undefined],
    ]);
    expect(options('DE').map((option) => option.methodId)).toEqual(['collect-ams']);
  });

  it('quotes a collection with its collection point, and leaves it out for goods too heavy to carry home', () => {
    const quoted = price(given, [{ sku: 'TEE', quantity: 2 }], {
      ...web,
      shipping: { methodId: 'collect-ams', country: 'NL' },
    });
    expect(quoted.shipping).toMatchObject({
      methodId: 'collect-ams',
      amount: 0,
      total: 0,
      pickup: amsterdam,
    });
    expect(quoted.totals.total).toBe(4000);
    expect(options('NL', 'SOFA').map((option) => option.methodId)).toEqual(['standard']);
  });

  it('lists the collection points a channel offers in a currency, by name', () => {
    const rotterdam = { ...amsterdam, locationId: 'store-rotterdam' };
    const more = compileSnapshot({
      ...given,
      shippingMethods: [
        ...given.shippingMethods!,
        shippingMethod('collect-rtm', {
          name: 'Collect at Coolsingel',
          pickup: rotterdam,
          rates: [{ currency: 'EUR', amount: 0 }],
        }),
        shippingMethod('collect-off', { name: 'Collect, closed', pickup: rotterdam, enabled: false }),
        shippingMethod('collect-staff', { name: 'Collect, staff', pickup: rotterdam, channels: ['staff'] }),
        shippingMethod('collect-usd', {
          name: 'Collect, USD',
          pickup: rotterdam,
          rates: [{ currency: 'USD', amount: 0 }],
        }),
      ],
    });
    expect(pickupPoints(more, web)).toEqual([
      { methodId: 'collect-rtm', name: 'Collect at Coolsingel', pickup: rotterdam },
      { methodId: 'collect-ams', name: 'Collect at Kalverstraat', pickup: amsterdam },
    ]);
    expect(pickupPoints(more, { channel: 'staff', currency: 'EUR' }).map((point) => point.methodId)).toEqual([
      'collect-rtm',
      'collect-ams',
      'collect-staff',
    ]);
  });
});
