import { describe, expect, it } from 'vitest';
import { compileSnapshot } from '@tillstream/pricing';
import type { PricingSnapshot } from '@tillstream/contracts';
import { priceCart, refundFor, settleTenders } from './cart.js';

const catalog = new Map([
  ['A', { sku: 'A', name: 'Apple', price: { amount: 250, currency: 'EUR' } }],
  ['B', { sku: 'B', name: 'Bread', price: { amount: 400, currency: 'EUR' } }],
]);
const snapshot: PricingSnapshot = {
  version: 7,
  createdAt: '2026-11-01T00:00:00.000Z',
  products: [
    { sku: 'A', price: { amount: 250, currency: 'EUR' }, taxCategory: 'standard', categories: ['fruit'] },
    { sku: 'B', price: { amount: 400, currency: 'EUR' }, taxCategory: 'standard', categories: [] },
  ],
  priceLists: [],
  promotions: [
    {
      id: 'fruit10',
      version: 1,
      name: '10% off fruit',
      priority: 1,
      stacking: 'stackable',
      target: { categories: ['fruit'] },
      effect: { type: 'percent_off_lines', basisPoints: 1000 },
    },
  ],
  taxRates: [],
};
const input = {
  currency: 'EUR',
  storeId: 'S1',
  at: '2026-11-01T10:00:00Z',
  lines: [
    { sku: 'A', quantity: 2 },
    { sku: 'B', quantity: 1 },
  ],
};

describe('priceCart', () => {
  it('prices with the engine on the snapshot, promotions included', () => {
    const priced = priceCart(compileSnapshot(snapshot), catalog, input);
    expect(priced).toMatchObject({ total: 850, snapshotVersion: 7 });
    expect(priced.lines[0]).toMatchObject({
      name: 'Apple',
      unitPrice: 250,
      discount: 50,
      lineTotal: 450,
      // The sale line names the promotion behind its discount, for analytics to count.
      promotions: [{ promotionId: 'fruit10', amount: 50 }],
    });
    expect(priced.lines[1]).toMatchObject({ discount: 0, promotions: [] });
  });

  it('leaves out a limited promotion the snapshot names used up, as ERP would', () => {
    const usedUp = compileSnapshot({
      ...snapshot,
      version: 8,
      promotions: snapshot.promotions.map((promotion) => ({ ...promotion, limits: { totalUses: 100 } })),
      exhaustedPromotionIds: ['fruit10'],
    });
    const priced = priceCart(usedUp, catalog, input);
    expect(priced).toMatchObject({ total: 900, snapshotVersion: 8 });
    expect(priced.lines[0]).toMatchObject({ discount: 0, lineTotal: 500, adjustments: [] });
  });

  it('falls back to catalog prices without a snapshot, and refuses unknown SKUs', () => {
    expect(priceCart(null, catalog, input)).toMatchObject({ total: 900, snapshotVersion: null });
    expect(() => priceCart(null, catalog, { ...input, lines: [{ sku: 'Z', quantity: 1 }] })).toThrowError(
      expect.objectContaining({ code: 'unknown_sku' }),
    );
  });
});

describe('settleTenders', () => {
  it.each([
    {
      name: 'cash with change',
      tenders: [{ method: 'cash', tendered: 2000 }],
      payments: [{ method: 'cash', amount: 850, tendered: 2000 }],
      change: 1150,
    },
    {
      name: 'card for the rest',
      tenders: [{ method: 'card' }],
      payments: [{ method: 'card', amount: 850 }],
      change: 0,
    },
    {
      name: 'gift card, then cash',
      tenders: [
        { method: 'gift_card', amount: 500, reference: 'GC1' },
        { method: 'cash', tendered: 500 },
      ],
      payments: [
        { method: 'gift_card', amount: 500, reference: 'GC1' },
        { method: 'cash', amount: 350, tendered: 500 },
      ],
      change: 150,
    },
  ])('splits $name', ({ tenders, payments, change }) => {
    expect(settleTenders(850, tenders)).toEqual({ payments, change });
  });

  it('refuses too little, and a card paying more than is due', () => {
    expect(() => settleTenders(850, [{ method: 'cash', tendered: 800 }])).toThrowError(
      expect.objectContaining({ code: 'tender_short' }),
    );
    expect(() => settleTenders(850, [{ method: 'card', amount: 900 }])).toThrowError(
      expect.objectContaining({ code: 'tender_over' }),
    );
  });
});

describe('refundFor', () => {
  it('matches what the server refunds: the parts add up to the line', () => {
    const line = { quantity: 3, lineTotal: 100 };
    expect([refundFor(line, 0, 1), refundFor(line, 1, 1), refundFor(line, 2, 1)]).toEqual([33, 33, 34]);
  });
});
