import { describe, expect, it } from 'vitest';
import type { TaxRate } from '@tillstream/contracts';
import { price, product, promotion, snapshot, taxRate } from './pricing.fixtures.js';

interface Case {
  name: string;
  rates: TaxRate[];
  amount: number;
  storeId?: string;
  discountBasisPoints?: number;
  tax: number;
  total: number;
  rateId: string | null;
}

const CASES: Case[] = [
  {
    name: '21 % included in 1210: 210 of it is tax, the customer pays 1210',
    rates: [taxRate('nl-high', { ratePpm: 210_000, inclusive: true })],
    amount: 1210,
    tax: 210,
    total: 1210,
    rateId: 'nl-high',
  },
  {
    name: '21 % added to 1000: 210 on top, the customer pays 1210',
    rates: [taxRate('us', { ratePpm: 210_000, inclusive: false })],
    amount: 1000,
    tax: 210,
    total: 1210,
    rateId: 'us',
  },
  {
    name: 'inclusive 19 % in 999: 159.50… rounds half up to 160',
    rates: [taxRate('de', { ratePpm: 190_000, inclusive: true })],
    amount: 999,
    tax: 160,
    total: 999,
    rateId: 'de',
  },
  {
    name: 'exclusive 8.875 % on 1999: 177.41… rounds to 177',
    rates: [taxRate('ny', { ratePpm: 88_750, inclusive: false })],
    amount: 1999,
    tax: 177,
    total: 2176,
    rateId: 'ny',
  },
  {
    name: 'tax is worked out after the discount (inclusive 21 % on 1210 − 10 %)',
    rates: [taxRate('nl-high', { ratePpm: 210_000, inclusive: true })],
    amount: 1210,
    discountBasisPoints: 1000,
    tax: 189,
    total: 1089,
    rateId: 'nl-high',
  },
  {
    name: "a store's own rate beats the rate for everywhere",
    rates: [
      taxRate('everywhere', { ratePpm: 210_000 }),
      taxRate('island', { ratePpm: 70_000, locationId: 'S-island' }),
    ],
    amount: 1070,
    storeId: 'S-island',
    tax: 70,
    total: 1070,
    rateId: 'island',
  },
  {
    name: 'another store falls back to the rate for everywhere',
    rates: [
      taxRate('everywhere', { ratePpm: 210_000 }),
      taxRate('island', { ratePpm: 70_000, locationId: 'S-island' }),
    ],
    amount: 1210,
    storeId: 'S-main',
    tax: 210,
    total: 1210,
    rateId: 'everywhere',
  },
  {
    name: 'a category without a rate carries no tax',
    rates: [taxRate('food', { taxCategory: 'food' })],
    amount: 500,
    tax: 0,
    total: 500,
    rateId: null,
  },
];

describe('tax', () => {
  it.each(CASES)('given $name', ({ rates, amount, storeId, discountBasisPoints, tax, total, rateId }) => {
    const promotions = discountBasisPoints
      ? [promotion('pct', { effect: { type: 'percent_off_lines', basisPoints: discountBasisPoints } })]
      : [];
    const result = price(
      snapshot({ products: [product('A', amount)], taxRates: rates, promotions }),
      [{ sku: 'A', quantity: 1 }],
      storeId ? { storeId } : {},
    );
    expect(result.lines[0]!.tax).toMatchObject({ amount: tax, rateId });
    expect(result.totals).toMatchObject({ tax, total });
  });

  it('mixes inclusive and exclusive lines in one cart and still adds up', () => {
    const result = price(
      snapshot({
        products: [product('A', 1210), product('B', 1000, { taxCategory: 'imported' })],
        taxRates: [
          taxRate('incl', { ratePpm: 210_000, inclusive: true }),
          taxRate('excl', { taxCategory: 'imported', ratePpm: 100_000, inclusive: false }),
        ],
      }),
      [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 1 },
      ],
    );
    expect(result.lines.map((line) => [line.tax.amount, line.total])).toEqual([
      [210, 1210],
      [100, 1100],
    ]);
    expect(result.totals).toEqual({ subtotal: 2210, discount: 0, net: 2210, tax: 310, total: 2310 });
  });
});
