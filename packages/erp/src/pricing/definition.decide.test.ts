import { describe, expect, it } from 'vitest';
import type { PriceListBody, PromotionBody } from '@tillstream/contracts';
import { decideDeletion, decideUpsert, priceListNotFound } from './definition.decide.js';
import { normalizePriceList } from './price-list.decide.js';
import { normalizePromotion } from './promotion.decide.js';

const percent = { type: 'percent_off_lines', basisPoints: 1000 } as const;
const promotion = (extra: Partial<PromotionBody> = {}): PromotionBody => ({
  name: 'P',
  priority: 0,
  stacking: 'stackable',
  effect: percent,
  ...extra,
});
const list = (extra: Partial<PriceListBody> = {}): PriceListBody => ({
  name: 'L',
  currency: 'EUR',
  priority: 0,
  prices: [{ sku: 'A', amount: 100 }],
  ...extra,
});

describe('decideUpsert', () => {
  it('given nothing stored, when put, then version 1 is created', () => {
    expect(decideUpsert(null, normalizePriceList('l', list()))).toMatchObject({
      change: 'created',
      state: { version: 1 },
    });
  });

  it('given a stored definition, when the same content comes in another key order, then nothing changes', () => {
    const stored = decideUpsert(null, normalizePriceList('l', list())).state;
    const reordered = JSON.parse(
      JSON.stringify({ prices: list().prices, priority: 0, currency: 'EUR', name: 'L' }),
    );
    expect(decideUpsert({ state: stored, deleted: false }, normalizePriceList('l', reordered))).toEqual({
      state: stored,
      change: null,
    });
  });

  it('given a stored definition, when the content changes, then the next version is an update', () => {
    const stored = decideUpsert(null, normalizePriceList('l', list())).state;
    expect(
      decideUpsert({ state: stored, deleted: false }, normalizePriceList('l', list({ priority: 2 }))),
    ).toMatchObject({
      change: 'updated',
      state: { version: 2, priority: 2 },
    });
  });

  it('given a deleted definition, when put again, then it is created with the next version', () => {
    const stored = { ...decideUpsert(null, normalizePriceList('l', list())).state, version: 4 };
    expect(decideUpsert({ state: stored, deleted: true }, normalizePriceList('l', list()))).toMatchObject({
      change: 'created',
      state: { version: 5 },
    });
  });

  it('deletes with the next version, and refuses to delete twice', () => {
    const stored = decideUpsert(null, normalizePriceList('l', list())).state;
    expect(decideDeletion({ state: stored, deleted: false }, () => priceListNotFound('l'))).toMatchObject({
      change: 'deleted',
      state: { version: 2 },
    });
    expect(() => decideDeletion({ state: stored, deleted: true }, () => priceListNotFound('l'))).toThrowError(
      expect.objectContaining({ code: 'price_list_not_found' }),
    );
  });
});

describe('normalize', () => {
  it.each([
    {
      name: 'an amount without a currency',
      body: promotion({ effect: { type: 'amount_off_order', amount: 5 } }),
      path: '/currency',
    },
    {
      name: 'a spend threshold without a currency',
      body: promotion({ minSubtotal: 100 }),
      path: '/currency',
    },
    {
      name: 'an unknown time zone',
      body: promotion({
        schedule: { timeZone: 'Nowhere/Void', slots: [{ days: [1], from: '10:00', to: '11:00' }] },
      }),
      path: '/schedule/timeZone',
    },
    {
      name: 'a window that ends where it starts',
      body: promotion({ startsAt: '2026-06-01T00:00:00Z', endsAt: '2026-06-01T00:00:00Z' }),
      path: '/endsAt',
    },
    {
      name: 'a bundle listing a SKU twice',
      body: promotion({
        currency: 'EUR',
        effect: {
          type: 'bundle_price',
          items: [
            { sku: 'A', quantity: 1 },
            { sku: 'A', quantity: 2 },
          ],
          amount: 5,
        },
      }),
      path: '/effect/items',
    },
    {
      name: 'a slot starting at 24:00',
      body: promotion({
        schedule: {
          timeZone: 'Europe/Amsterdam',
          slots: [
            { days: [1], from: '10:00', to: '11:00' },
            { days: [5], from: '24:00', to: '01:00' },
          ],
        },
      }),
      path: '/schedule/slots/1/from',
    },
    {
      name: 'a target naming nothing',
      body: promotion({ target: {} }),
      path: '/target',
    },
    {
      name: 'a buy X get Y whose get target names nothing',
      body: promotion({
        effect: { type: 'buy_x_get_y', buyQuantity: 1, getQuantity: 1, basisPoints: 10_000, getTarget: {} },
      }),
      path: '/effect/getTarget',
    },
    {
      name: 'two codes equal but for case',
      body: promotion({ couponCodes: ['SAVE', 'save'] }),
      path: '/couponCodes',
    },
  ])('refuses a promotion with $name', ({ body, path }) => {
    expect(() => normalizePromotion('p', body)).toThrowError(
      expect.objectContaining({
        code: 'validation_failed',
        extensions: { errors: [expect.objectContaining({ path })] },
      }),
    );
  });

  it('takes a slot ending at 24:00 and a target naming only categories', () => {
    const body = promotion({
      schedule: { timeZone: 'Europe/Amsterdam', slots: [{ days: [5], from: '22:00', to: '24:00' }] },
      target: { categories: ['shirts'] },
    });
    expect(normalizePromotion('p', body)).toMatchObject({
      schedule: body.schedule,
      target: body.target,
    });
  });

  it('upper-cases coupon codes and fills in enabled', () => {
    expect(normalizePromotion('p', promotion({ couponCodes: ['Save10'] }))).toMatchObject({
      id: 'p',
      enabled: true,
      couponCodes: ['SAVE10'],
    });
  });

  it('refuses a price list repeating a tier, and sorts tiers by SKU then quantity', () => {
    expect(() =>
      normalizePriceList(
        'l',
        list({
          prices: [
            { sku: 'A', amount: 1 },
            { sku: 'A', amount: 2, minQuantity: 1 },
          ],
        }),
      ),
    ).toThrowError(expect.objectContaining({ code: 'validation_failed' }));
    expect(
      normalizePriceList(
        'l',
        list({
          prices: [
            { sku: 'B', amount: 1 },
            { sku: 'A', amount: 2, minQuantity: 5 },
            { sku: 'A', amount: 3 },
          ],
        }),
      ).prices,
    ).toEqual([
      { sku: 'A', amount: 3, minQuantity: 1 },
      { sku: 'A', amount: 2, minQuantity: 5 },
      { sku: 'B', amount: 1, minQuantity: 1 },
    ]);
  });
});
