import { describe, expect, it } from 'vitest';
import { cashRoundingOf, compileSnapshot } from '@tillstream/pricing';
import type { PricingSnapshot } from '@tillstream/contracts';
import { cashDueOf, priceCart, refundFor, settleTenders } from './cart.js';

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
    expect(settleTenders(850, tenders)).toEqual({ payments, change, cashRounding: 0 });
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

describe('settleTenders where the store rounds cash to 5 cents', () => {
  it.each([
    {
      name: '9.98 in cash: 10.00, +2',
      total: 998,
      tenders: [{ method: 'cash', tendered: 2000 }],
      payments: [{ method: 'cash', amount: 1000, tendered: 2000 }],
      change: 1000,
      cashRounding: 2,
    },
    {
      name: '9.97 in cash, exact coins for 9.95: −2, no change',
      total: 997,
      tenders: [{ method: 'cash', tendered: 995 }],
      payments: [{ method: 'cash', amount: 995, tendered: 995 }],
      change: 0,
      cashRounding: -2,
    },
    {
      name: 'the cash due when nothing is tendered',
      total: 993,
      tenders: [{ method: 'cash' }],
      payments: [{ method: 'cash', amount: 995 }],
      change: 0,
      cashRounding: 2,
    },
    {
      name: 'a card first: only the 4.98 left in cash is rounded',
      total: 998,
      tenders: [
        { method: 'card', amount: 500 },
        { method: 'cash', tendered: 500 },
      ],
      payments: [
        { method: 'card', amount: 500 },
        { method: 'cash', amount: 500, tendered: 500 },
      ],
      change: 0,
      cashRounding: 2,
    },
    {
      name: 'two cash payments rounded together',
      total: 998,
      tenders: [
        { method: 'cash', amount: 333 },
        { method: 'cash', tendered: 1000 },
      ],
      payments: [
        { method: 'cash', amount: 333 },
        { method: 'cash', amount: 667, tendered: 1000 },
      ],
      change: 333,
      cashRounding: 2,
    },
    {
      name: 'cash for part, a card for the rest: nothing to round',
      total: 998,
      tenders: [{ method: 'cash', amount: 500 }, { method: 'card' }],
      payments: [
        { method: 'cash', amount: 500 },
        { method: 'card', amount: 498 },
      ],
      change: 0,
      cashRounding: 0,
    },
    {
      name: 'a card alone: to the cent',
      total: 998,
      tenders: [{ method: 'card' }],
      payments: [{ method: 'card', amount: 998 }],
      change: 0,
      cashRounding: 0,
    },
  ])('$name', ({ total, tenders, payments, change, cashRounding }) => {
    expect(settleTenders(total, tenders, 5)).toEqual({ payments, change, cashRounding });
  });

  it('states what the server checks: the rounding of what the other tenders leave in cash', () => {
    for (let total = 1; total < 400; total += 1)
      for (const card of [0, 1, 7, Math.floor(total / 2)].filter((amount) => amount < total)) {
        const tenders =
          card > 0 ? [{ method: 'card', amount: card }, { method: 'cash' }] : [{ method: 'cash' }];
        const { payments, cashRounding } = settleTenders(total, tenders, 5);
        expect(cashRounding).toBe(total - card > 0 ? cashRoundingOf(total - card, 5) : 0);
        expect(payments.reduce((sum, payment) => sum + payment.amount, 0)).toBe(total + cashRounding);
      }
  });

  it('refuses cash short of the rounded due', () => {
    expect(() => settleTenders(998, [{ method: 'cash', tendered: 900 }], 5)).toThrowError(
      expect.objectContaining({ code: 'tender_short' }),
    );
  });
});

describe('cashDueOf', () => {
  it.each([
    { due: 998, increment: 5, expected: 1000 },
    { due: 997, increment: 5, expected: 995 },
    { due: 4950, increment: 100, expected: 5000 },
    { due: 998, increment: null, expected: 998 },
    { due: 0, increment: 5, expected: 0 },
  ])('$due at $increment: $expected', ({ due, increment, expected }) => {
    expect(cashDueOf(due, increment)).toBe(expected);
  });
});

describe('refundFor', () => {
  it('matches what the server refunds: the parts add up to the line', () => {
    const line = { quantity: 3, lineTotal: 100 };
    expect([refundFor(line, 0, 1), refundFor(line, 1, 1), refundFor(line, 2, 1)]).toEqual([33, 33, 34]);
  });
});
