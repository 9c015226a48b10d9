import { describe, expect, it } from 'vitest';
import type { Promotion } from '@tillstream/contracts';
import { price, product, promotion, snapshot, type Lines } from './pricing.fixtures.js';

const PRODUCTS = [
  product('A', 1000),
  product('B', 500, { categories: ['socks'] }),
  product('C', 300),
  product('D', 333, { categories: ['socks'] }),
];
const B2G1 = { type: 'buy_x_get_y', buyQuantity: 2, getQuantity: 1, basisPoints: 10_000 } as const;

interface Case {
  name: string;
  promotions: Promotion[];
  lines: Lines;
  /** Discount per line, in line order. */
  discounts: number[];
}

const CASES: Case[] = [
  {
    name: 'buy 2 get 1 free over three prices: the cheapest unit is free',
    promotions: [promotion('bogo', { effect: B2G1 })],
    lines: [
      { sku: 'A', quantity: 1 },
      { sku: 'B', quantity: 1 },
      { sku: 'C', quantity: 1 },
    ],
    discounts: [0, 0, 300],
  },
  {
    name: 'buy 2 get 1 free over six units: the two cheapest, not one per group of three',
    promotions: [promotion('bogo', { effect: B2G1 })],
    lines: [
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 2 },
      { sku: 'C', quantity: 2 },
    ],
    discounts: [0, 0, 600],
  },
  {
    name: 'five units make one group; the spare units earn nothing',
    promotions: [promotion('bogo', { effect: B2G1 })],
    lines: [
      { sku: 'A', quantity: 3 },
      { sku: 'B', quantity: 2 },
    ],
    discounts: [0, 500],
  },
  {
    name: 'rewards spill to the next cheapest line',
    promotions: [promotion('bogo', { effect: { ...B2G1, buyQuantity: 1 } })],
    lines: [
      { sku: 'A', quantity: 3 },
      { sku: 'C', quantity: 1 },
    ],
    discounts: [1000, 300],
  },
  {
    name: 'buy 1 get 1 at half price',
    promotions: [promotion('half', { effect: { ...B2G1, buyQuantity: 1, basisPoints: 5000 } })],
    lines: [
      { sku: 'A', quantity: 1 },
      { sku: 'B', quantity: 1 },
    ],
    discounts: [0, 250],
  },
  {
    name: 'at most one application',
    promotions: [promotion('once', { effect: { ...B2G1, maxApplications: 1 } })],
    lines: [{ sku: 'C', quantity: 9 }],
    discounts: [300],
  },
  {
    name: 'only targeted SKUs count toward the groups',
    promotions: [promotion('bogo', { effect: B2G1, target: { skus: ['A', 'B'] } })],
    lines: [
      { sku: 'A', quantity: 2 },
      { sku: 'C', quantity: 5 },
      { sku: 'B', quantity: 1 },
    ],
    discounts: [0, 0, 500],
  },
  {
    name: 'buy an A, get a C free: the given unit comes from the get target, not from what is bought',
    promotions: [
      promotion('gift', {
        effect: { ...B2G1, buyQuantity: 1, getTarget: { skus: ['C'] } },
        target: { skus: ['A'] },
      }),
    ],
    lines: [
      { sku: 'C', quantity: 1 },
      { sku: 'B', quantity: 1 },
      { sku: 'A', quantity: 1 },
    ],
    discounts: [300, 0, 0],
  },
  {
    name: 'buy an A, get a C free: without an A nothing is given, however many Cs',
    promotions: [
      promotion('gift', {
        effect: { ...B2G1, buyQuantity: 1, getTarget: { skus: ['C'] } },
        target: { skus: ['A'] },
      }),
    ],
    lines: [
      { sku: 'C', quantity: 4 },
      { sku: 'B', quantity: 1 },
    ],
    discounts: [0, 0],
  },
  {
    name: 'buy 2 As, get 1 C: applications are limited by the As bought and by the Cs in the cart',
    promotions: [
      promotion('gift', { effect: { ...B2G1, getTarget: { skus: ['C'] } }, target: { skus: ['A'] } }),
    ],
    lines: [
      { sku: 'A', quantity: 5 },
      { sku: 'C', quantity: 3 },
    ],
    discounts: [0, 600],
  },
  {
    name: 'overlapping sets: a given unit does not count towards the X bought',
    promotions: [
      promotion('gift', {
        effect: { ...B2G1, buyQuantity: 1, getTarget: { skus: ['B', 'C'] } },
        target: { skus: ['A', 'C'] },
      }),
    ],
    lines: [
      { sku: 'C', quantity: 2 },
      { sku: 'B', quantity: 1 },
    ],
    // Two Cs and a B: giving the cheapest unit (a C) leaves one C bought, so one application; giving two
    // would leave none bought.
    discounts: [300, 0],
  },
  {
    name: 'a get target by category gives the cheapest unit among the products in it',
    promotions: [
      promotion('gift', {
        effect: { ...B2G1, buyQuantity: 1, getTarget: { categories: ['socks'] } },
        target: { skus: ['A'] },
      }),
    ],
    lines: [
      { sku: 'A', quantity: 1 },
      { sku: 'B', quantity: 1 },
      { sku: 'D', quantity: 1 },
    ],
    discounts: [0, 0, 333],
  },
  {
    name: 'a free unit after an earlier 10 % is worth its share of the discounted line',
    promotions: [
      promotion('pct', { effect: { type: 'percent_off_lines', basisPoints: 1000 }, priority: 2 }),
      promotion('bogo', { effect: { ...B2G1, buyQuantity: 1 }, priority: 1 }),
    ],
    lines: [{ sku: 'A', quantity: 2 }],
    discounts: [200 + 900],
  },
  {
    name: 'bundle of A and B for 1200: the 300 saving split 2:1',
    promotions: [
      promotion('bundle', {
        effect: {
          type: 'bundle_price',
          items: [
            { sku: 'A', quantity: 1 },
            { sku: 'B', quantity: 1 },
          ],
          amount: 1200,
        },
      }),
    ],
    lines: [
      { sku: 'A', quantity: 1 },
      { sku: 'B', quantity: 1 },
      { sku: 'C', quantity: 1 },
    ],
    discounts: [200, 100, 0],
  },
  {
    name: 'two complete bundles out of A×3 and B×2; the third A pays full price',
    promotions: [
      promotion('bundle', {
        effect: {
          type: 'bundle_price',
          items: [
            { sku: 'A', quantity: 1 },
            { sku: 'B', quantity: 1 },
          ],
          amount: 1200,
        },
      }),
    ],
    lines: [
      { sku: 'A', quantity: 3 },
      { sku: 'B', quantity: 2 },
    ],
    discounts: [400, 200],
  },
  {
    name: 'an incomplete bundle gets nothing',
    promotions: [
      promotion('bundle', {
        effect: {
          type: 'bundle_price',
          items: [
            { sku: 'A', quantity: 2 },
            { sku: 'B', quantity: 1 },
          ],
          amount: 1,
        },
      }),
    ],
    lines: [
      { sku: 'A', quantity: 1 },
      { sku: 'B', quantity: 1 },
    ],
    discounts: [0, 0],
  },
  {
    name: 'a bundle price above the regular price gives no negative saving',
    promotions: [
      promotion('bundle', {
        effect: { type: 'bundle_price', items: [{ sku: 'C', quantity: 2 }], amount: 700 },
      }),
    ],
    lines: [{ sku: 'C', quantity: 2 }],
    discounts: [0],
  },
  {
    name: '100 off an order of three equal lines: 34 + 33 + 33, the odd cent to the first',
    promotions: [promotion('order', { effect: { type: 'amount_off_order', amount: 100 } })],
    lines: [
      { sku: 'D', quantity: 1 },
      { sku: 'D', quantity: 1 },
      { sku: 'D', quantity: 1 },
    ],
    discounts: [34, 33, 33],
  },
  {
    name: '10 % off an order of 999: 99.9 rounds to 100, spread 34/33/33',
    promotions: [promotion('order', { effect: { type: 'percent_off_order', basisPoints: 1000 } })],
    lines: [
      { sku: 'D', quantity: 1 },
      { sku: 'D', quantity: 1 },
      { sku: 'D', quantity: 1 },
    ],
    discounts: [34, 33, 33],
  },
  {
    name: 'an order discount larger than the order takes the order to zero, no further',
    promotions: [promotion('order', { effect: { type: 'amount_off_order', amount: 5000 } })],
    lines: [
      { sku: 'A', quantity: 1 },
      { sku: 'C', quantity: 1 },
    ],
    discounts: [1000, 300],
  },
  {
    name: 'an order discount targeted at some lines is spread over those only',
    promotions: [
      promotion('order', { effect: { type: 'amount_off_order', amount: 90 }, target: { skus: ['B', 'C'] } }),
    ],
    lines: [
      { sku: 'A', quantity: 1 },
      { sku: 'B', quantity: 1 },
      { sku: 'C', quantity: 1 },
    ],
    discounts: [0, 56, 34],
  },
  {
    name: 'an amount off each unit never takes a line below zero',
    promotions: [promotion('units', { effect: { type: 'amount_off_units', amount: 400 } })],
    lines: [
      { sku: 'A', quantity: 2 },
      { sku: 'C', quantity: 2 },
    ],
    discounts: [800, 600],
  },
];

describe('promotion effects', () => {
  it.each(CASES)('given $name', ({ promotions, lines, discounts }) => {
    const result = price(snapshot({ products: PRODUCTS, promotions }), lines);
    expect(result.lines.map((line) => line.discountAmount)).toEqual(discounts);
    const applied = result.promotions.reduce((sum, entry) => sum + entry.amount, 0);
    expect(applied).toBe(result.totals.discount);
  });

  it('explains each adjustment with the rule, its version and why', () => {
    const result = price(
      snapshot({ products: PRODUCTS, promotions: [promotion('bogo', { effect: B2G1, version: 4 })] }),
      [
        { sku: 'A', quantity: 2 },
        { sku: 'C', quantity: 1 },
      ],
    );
    expect(result.lines[1]!.adjustments).toEqual([
      {
        promotionId: 'bogo',
        promotionVersion: 4,
        name: 'Promotion bogo',
        type: 'buy_x_get_y',
        amount: 300,
        reason: 'Buy 2 get 1 free: 1 of 1 unit(s) here, cheapest first',
      },
    ]);
  });
});
