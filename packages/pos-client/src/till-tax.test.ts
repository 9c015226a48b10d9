import { describe, expect, it } from 'vitest';
import type { PricingSnapshot } from '@tillstream/contracts';
import { fakeServer, till } from './till.fixtures.js';

describe('tax at the till in a tax-exclusive store', () => {
  const snapshot: PricingSnapshot = {
    version: 3,
    createdAt: '2026-11-01T00:00:00.000Z',
    products: [
      { sku: 'A', price: { amount: 2500, currency: 'EUR' }, taxCategory: 'standard', categories: [] },
    ],
    priceLists: [],
    promotions: [],
    taxRates: [
      {
        id: 'us-ny',
        version: 1,
        name: 'NY',
        taxCategory: 'standard',
        ratePpm: 88_750,
        inclusive: false,
        locationId: 'S1',
      },
    ],
  };

  it('adds the tax to what the customer pays, and each sale line carries it', async () => {
    const { http } = fakeServer({});
    const terminal = await till(http, { snapshot });
    // 3 × 25.00 = 75.00; × 8.875 % = 6.65625 → 6.66
    expect(terminal.price([{ sku: 'A', quantity: 3 }])).toMatchObject({ net: 7500, tax: 666, total: 8166 });
    const { sale, change } = await terminal.sell({
      lines: [{ sku: 'A', quantity: 3 }],
      tenders: [{ method: 'cash', tendered: 10_000 }],
    });
    expect(sale.lines).toEqual([
      { sku: 'A', quantity: 3, unitPrice: 2500, tax: { ratePpm: 88_750, amount: 666 } },
    ]);
    expect(sale.payments).toEqual([{ method: 'cash', amount: 8166, tendered: 10_000 }]);
    expect(change).toBe(1834);
  });

  it('adds nothing where the rate is inclusive, and states the tax inside the price on each sale line', async () => {
    const { http } = fakeServer({});
    const inclusive = { ...snapshot, taxRates: [{ ...snapshot.taxRates[0]!, inclusive: true }] };
    const terminal = await till(http, { snapshot: inclusive });
    // 75.00 holds 75.00 × 8.875 % / 108.875 % = 6.1137… → 6.11
    expect(terminal.price([{ sku: 'A', quantity: 3 }])).toMatchObject({
      net: 7500,
      tax: 0,
      includedTax: 611,
      total: 7500,
    });
    expect(terminal.price([{ sku: 'A', quantity: 3 }]).lines[0]).not.toHaveProperty('tax');
    const { sale } = await terminal.sell({
      lines: [{ sku: 'A', quantity: 3 }],
      tenders: [{ method: 'cash', tendered: 7500 }],
    });
    expect(sale.lines).toEqual([
      { sku: 'A', quantity: 3, unitPrice: 2500, includedTax: { ratePpm: 88_750, amount: 611 } },
    ]);
  });

  it('states a zero rate too, so the Z-report lists the line under it; no rate, nothing stated', async () => {
    const { http } = fakeServer({});
    const zeroRated = {
      ...snapshot,
      taxRates: [{ ...snapshot.taxRates[0]!, ratePpm: 0, inclusive: true }],
    };
    const zero = await till(http, { snapshot: zeroRated });
    expect(zero.price([{ sku: 'A', quantity: 1 }]).lines[0]).toMatchObject({
      includedTax: { ratePpm: 0, amount: 0 },
    });
    const untaxed = await till(http, { snapshot: { ...snapshot, taxRates: [] } });
    const line = untaxed.price([{ sku: 'A', quantity: 1 }]).lines[0];
    expect(line).not.toHaveProperty('tax');
    expect(line).not.toHaveProperty('includedTax');
  });
});
