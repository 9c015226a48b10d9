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
});
