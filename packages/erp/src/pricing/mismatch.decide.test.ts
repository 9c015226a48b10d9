import { describe, expect, it } from 'vitest';
import type { SaleCompletedV1Data } from '@tillstream/contracts';
import { compileSnapshot, quote } from '@tillstream/pricing';
import { differingLines, saleQuoteInput } from './mismatch.decide.js';

const snapshot = compileSnapshot({
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
});

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
