import { describe, expect, it } from 'vitest';
import type { ReturnCompletedV1Data, SaleCompletedV1Data } from '@tillstream/contracts';
import { AT, signed } from './finance.fixtures.js';
import { ACCOUNTS } from './accounts.js';
import { returnTaxBooked, saleTaxBooked } from './sales-tax.decide.js';
import { returnEntry, saleEntry, saleLineTax } from './store-documents.decide.js';

/** What the entry owes (a sale) or gives back (a return) on sales tax: the event's total must equal it. */
const taxPosted = (lines: Parameters<typeof signed>[0]) =>
  Math.abs(signed(lines)[ACCOUNTS.salesTax.code] ?? 0);

const sale: SaleCompletedV1Data = {
  saleId: 'S1',
  storeId: 'store-a',
  terminalId: 't1',
  occurredAt: '2026-12-01T11:07:00+01:00',
  currency: 'EUR',
  lines: [
    // 21 % inside 2178 is 378.
    { lineNo: 1, sku: 'TEE', quantity: 2, unitPrice: 1210, discount: 242, lineTotal: 2178 },
    // Added on top by the till: its own figure.
    {
      lineNo: 2,
      sku: 'MUG',
      quantity: 1,
      unitPrice: 1000,
      lineTotal: 1000,
      tax: { ratePpm: 88_750, amount: 89 },
    },
    // No rate applies.
    { lineNo: 3, sku: 'BOOK', quantity: 1, unitPrice: 500, lineTotal: 500 },
  ],
  payments: [{ method: 'card', amount: 3767 }],
  total: 3767,
};

describe('saleTaxBooked', () => {
  it('carries the tax the sale’s entry books, included and added apart, with the sale’s own time', () => {
    const taxes = sale.lines.map((line) => saleLineTax(line, (sku) => (sku === 'TEE' ? 210_000 : null)));
    const booked = saleTaxBooked(sale, taxes);
    expect(booked).toEqual({
      kind: 'sale',
      documentId: 'S1',
      storeId: 'store-a',
      occurredAt: '2026-12-01T11:07:00+01:00',
      currency: 'EUR',
      included: 378,
      added: 89,
      total: 467,
      rates: [
        { ratePpm: 88_750, charged: 'added', net: 1000, tax: 89 },
        { ratePpm: 210_000, charged: 'included', net: 1800, tax: 378 },
        { ratePpm: null, charged: 'included', net: 500, tax: 0 },
      ],
    });
    expect(booked.total).toBe(taxPosted(saleEntry(sale, taxes).lines));
    expect(booked.rates).toEqual(
      saleEntry(sale, taxes).taxBases.map((base) => expect.objectContaining(base)),
    );
  });

  it('carries zeros for a sale without tax: it was booked all the same', () => {
    const untaxed = { ...sale, lines: [sale.lines[2]!] };
    const booked = saleTaxBooked(
      untaxed,
      untaxed.lines.map((line) => saleLineTax(line, () => null)),
    );
    expect(booked).toMatchObject({
      included: 0,
      added: 0,
      total: 0,
      rates: [{ ratePpm: null, charged: 'included', net: 500, tax: 0 }],
    });
  });
});

describe('returnTaxBooked', () => {
  it('carries what the return’s entry gives back: its share of the included tax, the added tax as refunded', () => {
    const ret: ReturnCompletedV1Data = {
      returnId: 'R1',
      storeId: 'store-a',
      terminalId: 't1',
      occurredAt: AT,
      currency: 'EUR',
      originalSaleId: 'S1',
      lines: [
        {
          lineNo: 1,
          sku: 'TEE',
          quantity: 1,
          unitPrice: 1089,
          lineTotal: 1089,
          disposition: 'restock',
          originalLineNo: 1,
        },
        {
          lineNo: 2,
          sku: 'MUG',
          quantity: 1,
          unitPrice: 1000,
          lineTotal: 1000,
          disposition: 'damaged',
          originalLineNo: 2,
          tax: 89,
        },
      ],
      refunds: [{ method: 'card', amount: 2178 }],
      total: 2178,
    };
    // The consumer works the included share out from the sale: 189 of its 378.
    const taxes = [
      { amount: 189, ratePpm: 210_000 },
      { amount: 89, ratePpm: 88_750 },
    ];
    const booked = returnTaxBooked(ret, taxes);
    expect(booked).toEqual({
      kind: 'return',
      documentId: 'R1',
      storeId: 'store-a',
      occurredAt: AT,
      currency: 'EUR',
      included: 189,
      added: 89,
      total: 278,
      rates: [
        { ratePpm: 88_750, charged: 'added', net: 1000, tax: 89 },
        { ratePpm: 210_000, charged: 'included', net: 900, tax: 189 },
      ],
    });
    expect(booked.total).toBe(taxPosted(returnEntry(ret, taxes).lines));
    // The entry's bases are the same goods, negative as returns are in the journal.
    expect(booked.rates).toEqual(
      returnEntry(ret, taxes).taxBases.map((base) =>
        expect.objectContaining({ ratePpm: base.ratePpm, net: -base.net, tax: -base.tax }),
      ),
    );
  });
});
