import { describe, expect, it } from 'vitest';
import type { PricingSnapshot, SaleCompletedV1Data } from '@tillstream/contracts';
import { compileSnapshot, quote } from '@tillstream/pricing';
import { differingLines, saleDifference, saleQuoteInput } from './mismatch.decide.js';

const snapshotBody = {
  version: 7,
  createdAt: '2026-06-01T00:00:00.000Z',
  products: [
    { sku: 'TEE', price: { amount: 2000, currency: 'EUR' }, taxCategory: 'standard', categories: [] },
    { sku: 'SOCK', price: { amount: 500, currency: 'EUR' }, taxCategory: 'standard', categories: [] },
  ],
  priceLists: [],
  promotions: [
    {
      id: 'tee10',
      version: 1,
      name: 'Tee 10 %',
      priority: 0,
      stacking: 'stackable',
      couponCodes: ['TEE10'],
      target: { skus: ['TEE'] },
      effect: { type: 'percent_off_lines', basisPoints: 1000 },
    },
  ],
  taxRates: [],
} satisfies PricingSnapshot;
const snapshot = compileSnapshot(snapshotBody);

const sale = (lines: SaleCompletedV1Data['lines'], couponCodes?: string[]): SaleCompletedV1Data => ({
  saleId: 's1',
  storeId: 'S1',
  terminalId: 'T1',
  occurredAt: '2026-06-10T12:00:00.000Z',
  currency: 'EUR',
  lines,
  payments: [],
  total: lines.reduce((sum, line) => sum + line.lineTotal, 0),
  pricing: { snapshotVersion: 7, ...(couponCodes ? { couponCodes } : {}) },
});

describe('differingLines', () => {
  it.each([
    {
      name: 'a sale priced like the engine: no difference',
      given: sale(
        [
          { lineNo: 1, sku: 'TEE', quantity: 2, unitPrice: 2000, discount: 400, lineTotal: 3600 },
          { lineNo: 2, sku: 'SOCK', quantity: 1, unitPrice: 500, lineTotal: 500 },
        ],
        ['tee10'],
      ),
      differing: [],
    },
    {
      name: 'a unit price typed over at the till',
      given: sale([{ lineNo: 1, sku: 'SOCK', quantity: 3, unitPrice: 450, lineTotal: 1350 }]),
      differing: [
        {
          lineNo: 1,
          expectedUnitPrice: 500,
          actualUnitPrice: 450,
          expectedLineTotal: 1500,
          actualLineTotal: 1350,
        },
      ],
    },
    {
      name: 'a discount given without the coupon that grants it',
      given: sale([{ lineNo: 1, sku: 'TEE', quantity: 1, unitPrice: 2000, discount: 200, lineTotal: 1800 }]),
      differing: [{ lineNo: 1, expectedLineTotal: 2000, actualLineTotal: 1800 }],
    },
  ])('given $name', ({ given, differing }) => {
    expect(differingLines(given, quote(snapshot, saleQuoteInput(given)))).toMatchObject(differing);
  });

  it('prices the sale as a till sale at its store, at the moment it happened', () => {
    const given = sale([{ lineNo: 1, sku: 'TEE', quantity: 1, unitPrice: 2000, lineTotal: 2000 }], ['X']);
    expect(saleQuoteInput(given)).toEqual({
      channel: 'pos',
      currency: 'EUR',
      storeId: 'S1',
      at: '2026-06-10T12:00:00.000Z',
      lines: [{ sku: 'TEE', quantity: 1 }],
      couponCodes: ['X'],
    });
  });
});

/** A US store: 8 % added on top of the shelf price. */
const usSnapshot = compileSnapshot({
  version: 3,
  createdAt: '2026-06-01T00:00:00.000Z',
  products: [
    { sku: 'CAP', price: { amount: 2500, currency: 'USD' }, taxCategory: 'standard', categories: [] },
    { sku: 'GIFT', price: { amount: 1000, currency: 'USD' }, taxCategory: 'exempt', categories: [] },
  ],
  priceLists: [],
  promotions: [],
  taxRates: [
    {
      id: 'ny',
      version: 1,
      name: 'NY',
      taxCategory: 'standard',
      locationId: 'S1',
      ratePpm: 80_000,
      inclusive: false,
    },
  ],
});

const usSale = (lines: SaleCompletedV1Data['lines']): SaleCompletedV1Data => ({
  ...sale(lines),
  currency: 'USD',
  total: lines.reduce((sum, line) => sum + line.lineTotal + (line.tax?.amount ?? 0), 0),
  pricing: { snapshotVersion: 3 },
});

describe('saleDifference with tax added on top', () => {
  const cap = { lineNo: 1, sku: 'CAP', quantity: 2, unitPrice: 2500, lineTotal: 5000 };
  it.each([
    {
      name: 'the tax the engine adds: no difference',
      given: usSale([{ ...cap, tax: { ratePpm: 80_000, amount: 400 } }]),
      then: null,
    },
    {
      name: 'no tax on a taxed line',
      given: usSale([cap]),
      then: {
        reason: 'tax_differs',
        lines: [
          {
            lineNo: 1,
            expectedLineTotal: 5000,
            actualLineTotal: 5000,
            expectedTax: { ratePpm: 80_000, amount: 400 },
            actualTax: { ratePpm: 0, amount: 0 },
          },
        ],
      },
    },
    {
      name: '1 % instead of 8 %',
      given: usSale([{ ...cap, tax: { ratePpm: 10_000, amount: 50 } }]),
      then: {
        reason: 'tax_differs',
        lines: [{ lineNo: 1, actualTax: { ratePpm: 10_000, amount: 50 } }],
      },
    },
    {
      name: 'the right rate but another amount',
      given: usSale([{ ...cap, tax: { ratePpm: 80_000, amount: 399 } }]),
      then: { reason: 'tax_differs', lines: [{ lineNo: 1, actualTax: { ratePpm: 80_000, amount: 399 } }] },
    },
    {
      name: 'tax added on a line no rate applies to',
      given: usSale([
        {
          lineNo: 1,
          sku: 'GIFT',
          quantity: 1,
          unitPrice: 1000,
          lineTotal: 1000,
          tax: { ratePpm: 80_000, amount: 80 },
        },
      ]),
      then: { reason: 'tax_differs', lines: [{ lineNo: 1, expectedTax: { ratePpm: 0, amount: 0 } }] },
    },
    {
      name: 'a wrong price: reported as a price, not as its tax',
      given: usSale([{ ...cap, unitPrice: 2000, lineTotal: 4000 }]),
      then: {
        reason: 'price_differs',
        lines: [{ lineNo: 1, expectedUnitPrice: 2500, actualUnitPrice: 2000 }],
      },
    },
  ])('given $name', ({ given, then }) => {
    const found = saleDifference(given, quote(usSnapshot, saleQuoteInput(given)));
    if (then === null) expect(found).toBeNull();
    else expect(found).toMatchObject(then);
  });
});

describe('saleDifference with tax included in the price', () => {
  // 500 at 21 % holds 500 × 0.21 / 1.21 = 86.78 → 87.
  const inclusive = compileSnapshot({
    ...snapshotBody,
    taxRates: [
      { id: 'nl', version: 1, name: 'NL', taxCategory: 'standard', ratePpm: 210_000, inclusive: true },
    ],
  });
  const sock = { lineNo: 1, sku: 'SOCK', quantity: 1, unitPrice: 500, lineTotal: 500 };
  it.each([
    {
      name: 'a till stating the tax the engine includes',
      given: sale([{ ...sock, includedTax: { ratePpm: 210_000, amount: 87 } }]),
      then: null,
    },
    { name: 'an older till stating no included tax', given: sale([sock]), then: null },
    {
      name: 'a till on an old 19 % rate',
      given: sale([{ ...sock, includedTax: { ratePpm: 190_000, amount: 80 } }]),
      then: {
        reason: 'tax_differs',
        lines: [
          {
            lineNo: 1,
            expectedTax: { ratePpm: 0, amount: 0 },
            actualTax: { ratePpm: 0, amount: 0 },
            expectedIncludedTax: { ratePpm: 210_000, amount: 87 },
            actualIncludedTax: { ratePpm: 190_000, amount: 80 },
          },
        ],
      },
    },
    {
      name: 'a till adding tax on top of a price that includes it: the customer paid it twice',
      given: { ...sale([{ ...sock, tax: { ratePpm: 210_000, amount: 105 } }]), total: 605 },
      then: {
        reason: 'tax_differs',
        lines: [
          {
            lineNo: 1,
            expectedTax: { ratePpm: 0, amount: 0 },
            actualTax: { ratePpm: 210_000, amount: 105 },
            expectedIncludedTax: { ratePpm: 210_000, amount: 87 },
          },
        ],
      },
    },
  ])('given $name', ({ given, then }) => {
    const found = saleDifference(given, quote(inclusive, saleQuoteInput(given)));
    if (then === null) expect(found).toBeNull();
    else expect(found).toMatchObject(then);
  });

  it('flags an included tax stated where ERP adds tax on top, or where no rate applies', () => {
    const cap = { lineNo: 1, sku: 'CAP', quantity: 2, unitPrice: 2500, lineTotal: 5000 };
    const statedInside = usSale([{ ...cap, includedTax: { ratePpm: 80_000, amount: 370 } }]);
    expect(saleDifference(statedInside, quote(usSnapshot, saleQuoteInput(statedInside)))).toMatchObject({
      reason: 'tax_differs',
      lines: [
        {
          expectedTax: { ratePpm: 80_000, amount: 400 },
          actualIncludedTax: { ratePpm: 80_000, amount: 370 },
        },
      ],
    });
    const untaxed = sale([{ ...sock, includedTax: { ratePpm: 210_000, amount: 87 } }]);
    const found = saleDifference(untaxed, quote(snapshot, saleQuoteInput(untaxed)));
    expect(found).toMatchObject({ reason: 'tax_differs', lines: [{ actualIncludedTax: { amount: 87 } }] });
    expect(found!.lines[0]).not.toHaveProperty('expectedIncludedTax');
  });
});
