import { describe, expect, it } from 'vitest';
import type { PriceList, PricingSnapshot } from '@tillstream/contracts';
import { compileWebPricing, nextPriceChange, priceFor } from './web-prices.js';

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const list = (overrides: Partial<PriceList>): PriceList =>
  ({
    id: 'sale',
    version: 1,
    name: 'Sale',
    currency: 'EUR',
    priority: 10,
    prices: [{ sku: 'TEE', amount: 1200 }],
    ...overrides,
  }) as PriceList;
const snapshot = (priceLists: PriceList[]): PricingSnapshot => ({
  version: 7,
  createdAt: '2026-11-01T00:00:00Z',
  products: [{ sku: 'TEE', price: eur(1500), taxCategory: 'standard', categories: [] }],
  priceLists,
  promotions: [],
  taxRates: [],
});
const at = Date.parse('2026-11-20T12:00:00Z');
const tee = { sku: 'TEE', price: eur(1500) };

describe('web prices', () => {
  it.each([
    ['no pricing yet: the base price', null, { price: eur(1500), compareAtPrice: null }],
    ['no price list: the base price', [], { price: eur(1500), compareAtPrice: null }],
    ['a sale price, with the base to compare', [list({})], { price: eur(1200), compareAtPrice: eur(1500) }],
    [
      'a list for another channel does not apply',
      [list({ channels: ['pos'] })],
      { price: eur(1500), compareAtPrice: null },
    ],
    [
      'a list for the web channel applies',
      [list({ channels: ['web'] })],
      { price: eur(1200), compareAtPrice: eur(1500) },
    ],
    [
      'a list not started yet does not apply',
      [list({ startsAt: '2026-11-21T00:00:00Z' })],
      { price: eur(1500), compareAtPrice: null },
    ],
    [
      'a list that ended does not apply',
      [list({ endsAt: '2026-11-20T00:00:00Z' })],
      { price: eur(1500), compareAtPrice: null },
    ],
    [
      'a list in another currency does not apply',
      [list({ currency: 'USD' })],
      { price: eur(1500), compareAtPrice: null },
    ],
  ])('%s', (_name, lists, expected) => {
    const pricing = lists ? compileWebPricing(snapshot(lists as PriceList[])) : null;
    expect(priceFor(pricing, tee, 'web', at)).toEqual(expected);
  });

  it('prices with the base price the projection knows, newer than the snapshot', () => {
    const pricing = compileWebPricing(snapshot([]));
    expect(priceFor(pricing, { sku: 'TEE', price: eur(1700) }, 'web', at).price).toEqual(eur(1700));
  });

  it('knows when the next price list starts or ends', () => {
    const pricing = compileWebPricing(
      snapshot([
        list({ id: 'a', startsAt: '2026-11-25T00:00:00Z' }),
        list({ id: 'b', endsAt: '2026-11-22T00:00:00Z' }),
        list({ id: 'c', startsAt: '2026-11-01T00:00:00Z' }),
      ]),
    );
    expect(nextPriceChange(pricing, at)).toBe(Date.parse('2026-11-22T00:00:00Z'));
    expect(nextPriceChange(compileWebPricing(snapshot([])), at)).toBe(Infinity);
  });
});
