import { describe, expect, it } from 'vitest';
import type { ShippingMethodBody } from '@tillstream/contracts';
import { decideUpsert } from './definition.decide.js';
import { normalizeShippingMethod } from './shipping-method.decide.js';

const standard = (extra: Partial<ShippingMethodBody> = {}): ShippingMethodBody => ({
  name: 'Standard delivery',
  countries: ['NL', 'BE'],
  rates: [{ currency: 'EUR', amount: 495, freeFrom: 5000 }],
  taxCategory: 'standard',
  ...extra,
});

describe('normalizeShippingMethod', () => {
  const codeOf = (run: () => unknown) => {
    try {
      run();
      return 'no error';
    } catch (error) {
      return (error as { code?: string }).code ?? 'not a domain error';
    }
  };
  const weighed = (byWeight: Array<{ fromGrams: number; amount: number }>, maxGrams?: number) =>
    standard({
      rates: [{ currency: 'EUR', amount: 495, byWeight, ...(maxGrams === undefined ? {} : { maxGrams }) }],
    });

  it('keeps one postcode rule per country, its prefixes as the engine compares them, sorted', () => {
    const stored = normalizeShippingMethod(
      'mainland',
      standard({
        postcodes: [
          { country: 'NL', exclude: ['8899', '1791 a', '1791-A', '17 9'] },
          { country: 'BE', include: ['10'] },
        ],
      }),
    );
    expect(stored.postcodes).toEqual([
      { country: 'BE', include: ['10'] },
      { country: 'NL', exclude: ['179', '1791A', '8899'] },
    ]);
    expect(
      codeOf(() =>
        normalizeShippingMethod(
          'twice',
          standard({
            postcodes: [
              { country: 'NL', include: ['1'] },
              { country: 'NL', exclude: ['2'] },
            ],
          }),
        ),
      ),
    ).toBe('shipping_postcode_rule_duplicate');
  });

  it('keeps weight bands and the heaviest goods a rate takes', () => {
    const bands = [
      { fromGrams: 2000, amount: 795 },
      { fromGrams: 10_000, amount: 1495 },
    ];
    expect(normalizeShippingMethod('parcel', weighed(bands, 23_000)).rates).toEqual([
      { currency: 'EUR', amount: 495, byWeight: bands, maxGrams: 23_000 },
    ]);
  });

  it.each([
    ['bands in ascending order', [2000, 10_000], undefined, 'no error'],
    ['a band as heavy as maxGrams', [2000, 23_000], 23_000, 'no error'],
    ['bands out of order', [10_000, 2000], undefined, 'shipping_weight_bands_invalid'],
    ['two bands from one weight', [2000, 2000], undefined, 'shipping_weight_bands_invalid'],
    ['a band past maxGrams', [2000, 30_000], 23_000, 'shipping_weight_bands_invalid'],
  ])('given %s', (_what, froms, maxGrams, code) => {
    const bands = froms.map((fromGrams) => ({ fromGrams, amount: 100 }));
    expect(codeOf(() => normalizeShippingMethod('parcel', weighed(bands, maxGrams)))).toBe(code);
  });

  it('keeps a parcel split only when true, and refuses one without maxGrams', () => {
    const rate = { currency: 'EUR', amount: 495, maxGrams: 23_000 };
    const split = (splitParcels: boolean, maxGrams: number | null = rate.maxGrams) =>
      normalizeShippingMethod(
        'parcel',
        standard({
          rates: [{ currency: 'EUR', amount: 495, splitParcels, ...(maxGrams === null ? {} : { maxGrams }) }],
        }),
      );
    expect(split(true).rates).toEqual([{ ...rate, splitParcels: true }]);
    expect(split(false).rates).toEqual([rate]);
    expect(() => split(true, null)).toThrowError(
      expect.objectContaining({
        kind: 'unprocessable',
        code: 'shipping_parcel_split_invalid',
        extensions: { currency: 'EUR' },
      }),
    );
    expect(codeOf(() => split(false, null))).toBe('no error');
  });

  it('given a body without enabled, then it is stored enabled, with its id', () => {
    expect(normalizeShippingMethod('standard', standard())).toEqual({
      id: 'standard',
      name: 'Standard delivery',
      enabled: true,
      countries: ['BE', 'NL'],
      rates: [{ currency: 'EUR', amount: 495, freeFrom: 5000 }],
      taxCategory: 'standard',
    });
  });

  it('keeps a method disabled when told so, and leaves out channels and countries it was not given', () => {
    const stored = normalizeShippingMethod('pickup', {
      name: 'Pick-up',
      enabled: false,
      rates: [{ currency: 'EUR', amount: 0 }],
      taxCategory: 'standard',
    });
    expect(stored).toEqual({
      id: 'pickup',
      name: 'Pick-up',
      enabled: false,
      rates: [{ currency: 'EUR', amount: 0 }],
      taxCategory: 'standard',
    });
    expect('channels' in stored || 'countries' in stored).toBe(false);
  });

  it('given a second rate in one currency, then it refuses with 422 shipping_rate_duplicate naming it', () => {
    const body = standard({
      rates: [
        { currency: 'EUR', amount: 495 },
        { currency: 'GBP', amount: 450 },
        { currency: 'EUR', amount: 395, freeFrom: 4000 },
      ],
    });
    expect(() => normalizeShippingMethod('standard', body)).toThrowError(
      expect.objectContaining({
        kind: 'unprocessable',
        code: 'shipping_rate_duplicate',
        extensions: { currency: 'EUR' },
      }),
    );
  });

  it('given the same method with rates, countries and channels in another order, then no new version', () => {
    const first = normalizeShippingMethod(
      'standard',
      standard({
        channels: ['web', 'app'],
        countries: ['NL', 'BE', 'DE'],
        rates: [
          { currency: 'GBP', amount: 450 },
          { currency: 'EUR', amount: 495, freeFrom: 5000 },
        ],
      }),
    );
    const stored = decideUpsert(null, first).state;
    const reordered = normalizeShippingMethod(
      'standard',
      standard({
        channels: ['app', 'web'],
        countries: ['DE', 'BE', 'NL'],
        rates: [
          { freeFrom: 5000, amount: 495, currency: 'EUR' },
          { currency: 'GBP', amount: 450 },
        ],
      }),
    );
    expect(decideUpsert({ state: stored, deleted: false }, reordered)).toEqual({
      state: stored,
      change: null,
    });
    expect(stored.rates.map((rate) => rate.currency)).toEqual(['EUR', 'GBP']);
  });

  it('given a changed rate, then the next version is an update', () => {
    const stored = decideUpsert(null, normalizeShippingMethod('standard', standard())).state;
    const cheaper = normalizeShippingMethod(
      'standard',
      standard({ rates: [{ currency: 'EUR', amount: 395 }] }),
    );
    expect(decideUpsert({ state: stored, deleted: false }, cheaper)).toMatchObject({
      change: 'updated',
      state: { version: 2, rates: [{ currency: 'EUR', amount: 395 }] },
    });
  });

  it('keeps a collection point, and refuses one that names destinations', () => {
    const collect = {
      name: 'Collect in store',
      pickup: {
        locationId: 'store-amsterdam',
        address: { country: 'NL', city: 'Amsterdam', postalCode: '1012 PH', line1: 'Kalverstraat 92' },
      },
      rates: [{ currency: 'EUR', amount: 0 }],
      taxCategory: 'standard',
    };
    const stored = normalizeShippingMethod('collect-ams', collect);
    expect(stored.pickup).toEqual({
      locationId: 'store-amsterdam',
      address: { line1: 'Kalverstraat 92', postalCode: '1012 PH', city: 'Amsterdam', country: 'NL' },
    });
    expect(Object.keys(stored.pickup!.address)).toEqual(['line1', 'postalCode', 'city', 'country']);
    expect(codeOf(() => normalizeShippingMethod('collect-ams', { ...collect, countries: ['NL'] }))).toBe(
      'shipping_pickup_has_destinations',
    );
    expect(
      codeOf(() =>
        normalizeShippingMethod('collect-ams', {
          ...collect,
          postcodes: [{ country: 'NL', include: ['10'] }],
        }),
      ),
    ).toBe('shipping_pickup_has_destinations');
    expect(normalizeShippingMethod('standard', standard()).pickup).toBeUndefined();
  });
});
