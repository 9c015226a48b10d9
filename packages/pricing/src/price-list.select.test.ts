import { describe, expect, it } from 'vitest';
import type { PricingSnapshot } from '@tillstream/contracts';
import { AT, price, priceList, product, snapshot, type Lines } from './pricing.fixtures.js';
import type { PricingInput } from './quote.engine.js';

const A = product('A', 1000);

interface Case {
  name: string;
  given: PricingSnapshot;
  lines?: Lines;
  input?: Partial<PricingInput>;
  unitPrice: number;
  source: Record<string, unknown>;
}

const CASES: Case[] = [
  {
    name: 'no price list: the product price',
    given: snapshot({ products: [A] }),
    unitPrice: 1000,
    source: { kind: 'base' },
  },
  {
    name: 'higher priority wins even when dearer',
    given: snapshot({
      products: [A],
      priceLists: [
        priceList('cheap', [{ sku: 'A', amount: 700 }], { priority: 1 }),
        priceList('contract', [{ sku: 'A', amount: 900 }], { priority: 5 }),
      ],
    }),
    unitPrice: 900,
    source: { kind: 'price_list', priceListId: 'contract', priceListVersion: 1, minQuantity: 1 },
  },
  {
    name: 'equal priority: the lower price wins',
    given: snapshot({
      products: [A],
      priceLists: [priceList('b', [{ sku: 'A', amount: 800 }]), priceList('a', [{ sku: 'A', amount: 750 }])],
    }),
    unitPrice: 750,
    source: { priceListId: 'a' },
  },
  {
    name: 'quantity tier counts every line of the SKU (2 + 2 reaches the 3+ tier)',
    given: snapshot({
      products: [A],
      priceLists: [
        priceList('tiers', [
          { sku: 'A', amount: 950 },
          { sku: 'A', amount: 800, minQuantity: 3 },
          { sku: 'A', amount: 600, minQuantity: 10 },
        ]),
      ],
    }),
    lines: [
      { sku: 'A', quantity: 2 },
      { sku: 'A', quantity: 2 },
    ],
    unitPrice: 800,
    source: { minQuantity: 3 },
  },
  {
    name: 'a higher list whose tiers the quantity does not reach gives way to the next',
    given: snapshot({
      products: [A],
      priceLists: [
        priceList('bulk', [{ sku: 'A', amount: 500, minQuantity: 100 }], { priority: 9 }),
        priceList('retail', [{ sku: 'A', amount: 990 }], { priority: 1 }),
      ],
    }),
    unitPrice: 990,
    source: { priceListId: 'retail' },
  },
  {
    name: 'a customer in two groups gets the list of either',
    given: snapshot({
      products: [A],
      priceLists: [priceList('staff', [{ sku: 'A', amount: 600 }], { customerGroups: ['staff'] })],
    }),
    input: { customerGroups: ['vip', 'staff'] },
    unitPrice: 600,
    source: { priceListId: 'staff' },
  },
  {
    name: 'a group list does not apply to an anonymous customer',
    given: snapshot({
      products: [A],
      priceLists: [priceList('staff', [{ sku: 'A', amount: 600 }], { customerGroups: ['staff'] })],
    }),
    unitPrice: 1000,
    source: { kind: 'base' },
  },
  {
    name: 'a window starts inclusive: at startsAt it applies',
    given: snapshot({
      products: [A],
      priceLists: [priceList('sale', [{ sku: 'A', amount: 500 }], { startsAt: AT })],
    }),
    unitPrice: 500,
    source: { priceListId: 'sale' },
  },
  {
    name: 'a window ends exclusive: at endsAt it no longer applies',
    given: snapshot({
      products: [A],
      priceLists: [priceList('sale', [{ sku: 'A', amount: 500 }], { endsAt: AT })],
    }),
    unitPrice: 1000,
    source: { kind: 'base' },
  },
  {
    name: 'one millisecond before endsAt it still applies',
    given: snapshot({
      products: [A],
      priceLists: [priceList('sale', [{ sku: 'A', amount: 500 }], { endsAt: '2026-06-10T12:00:00.001Z' })],
    }),
    unitPrice: 500,
    source: { priceListId: 'sale' },
  },
  {
    name: 'a web-only list does not apply at the till',
    given: snapshot({
      products: [A],
      priceLists: [priceList('web', [{ sku: 'A', amount: 500 }], { channels: ['web'] })],
    }),
    unitPrice: 1000,
    source: { kind: 'base' },
  },
  {
    name: 'a store list applies in that store only',
    given: snapshot({
      products: [A],
      priceLists: [priceList('outlet', [{ sku: 'A', amount: 400 }], { storeIds: ['outlet-1'] })],
    }),
    input: { storeId: 'outlet-1' },
    unitPrice: 400,
    source: { priceListId: 'outlet' },
  },
  {
    name: 'a disabled list is ignored',
    given: snapshot({
      products: [A],
      priceLists: [priceList('off', [{ sku: 'A', amount: 1 }], { enabled: false })],
    }),
    unitPrice: 1000,
    source: { kind: 'base' },
  },
  {
    name: 'a list in another currency prices that currency',
    given: snapshot({
      products: [A],
      priceLists: [priceList('usd', [{ sku: 'A', amount: 1100 }], { currency: 'USD' })],
    }),
    input: { currency: 'USD' },
    unitPrice: 1100,
    source: { priceListId: 'usd' },
  },
];

describe('unit price selection', () => {
  it.each(CASES)('given $name', ({ given, lines, input, unitPrice, source }) => {
    const result = price(given, lines ?? [{ sku: 'A', quantity: 1 }], input);
    for (const line of result.lines) {
      expect(line.unitPrice).toBe(unitPrice);
      expect(line.priceSource).toMatchObject(source);
      expect(line.basePrice).toBe(1000);
    }
  });

  it('refuses a currency with neither a list nor a product price, naming the SKUs', () => {
    expect(() =>
      price(snapshot({ products: [A] }), [{ sku: 'A', quantity: 1 }], { currency: 'USD' }),
    ).toThrowError(
      expect.objectContaining({ code: 'price_not_found', details: { skus: ['A'], currency: 'USD' } }),
    );
  });

  it('refuses an unknown SKU', () => {
    expect(() => price(snapshot({ products: [A] }), [{ sku: 'Z', quantity: 1 }])).toThrowError(
      expect.objectContaining({ code: 'unknown_sku', details: { skus: ['Z'] } }),
    );
  });
});
