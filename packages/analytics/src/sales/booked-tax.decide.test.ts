import { describe, expect, it } from 'vitest';
import type { ReturnCompletedV1Data, SaleCompletedV1Data, SalesTaxBookedV1Data } from '@tillstream/contracts';
import { addEffect, emptyBatch } from './batch.decide.js';
import { bookedTaxEffect } from './booked-tax.decide.js';
import { saleEffect, storeReturnEffect, type SalesEffect } from './sales.decide.js';

/** A sale in a tax-inclusive store: 21 % inside 2420 is 420, which its event does not state. */
const sale: SaleCompletedV1Data = {
  saleId: 's1',
  storeId: 'store-a',
  terminalId: 't1',
  occurredAt: '2026-03-02T10:29:59+01:00',
  currency: 'EUR',
  lines: [{ lineNo: 1, sku: 'TEE', quantity: 2, unitPrice: 1210, lineTotal: 2420 }],
  payments: [{ method: 'card', amount: 2420 }],
  total: 2420,
};

const booked = (over: Partial<SalesTaxBookedV1Data> = {}): SalesTaxBookedV1Data => ({
  kind: 'sale',
  documentId: 's1',
  storeId: 'store-a',
  occurredAt: '2026-03-02T10:29:59+01:00',
  currency: 'EUR',
  included: 420,
  added: 0,
  total: 420,
  ...over,
});

const bucketsOf = (effects: readonly SalesEffect[]) => {
  const totals = emptyBatch();
  for (const effect of effects) addEffect(totals, effect);
  return [...totals.buckets.values()];
};

describe('the tax ERP booked of a store document', () => {
  it('adds the included tax of a sale to the sale’s own bucket', () => {
    const effect = bookedTaxEffect(booked());
    expect(effect.key).toEqual(saleEffect(sale).key);
    expect(effect.figures).toMatchObject({ tax: 420, returnsTax: 0, transactions: 0, net: 0 });
    expect([effect.products, effect.promotions]).toEqual([[], []]);
  });

  it('leaves the tax added on top to the POS event, which counts it already', () => {
    const exclusive = {
      ...sale,
      lines: [{ ...sale.lines[0]!, tax: { ratePpm: 88_750, amount: 215 } }],
      tax: 215,
      total: 2635,
    };
    const [bucket] = bucketsOf([
      saleEffect(exclusive),
      bookedTaxEffect(booked({ included: 0, added: 215, total: 215 })),
    ]);
    expect(bucket?.figures.tax).toBe(215);
  });

  it('counts a return’s tax as returnsTax: added from the POS event, included from ERP', () => {
    const ret: ReturnCompletedV1Data = {
      returnId: 'r1',
      storeId: 'store-a',
      terminalId: 't1',
      occurredAt: '2026-03-03T08:00:00Z',
      currency: 'EUR',
      originalSaleId: 's1',
      lines: [
        { lineNo: 1, sku: 'TEE', quantity: 1, unitPrice: 1210, lineTotal: 1210, disposition: 'restock' },
        {
          lineNo: 2,
          sku: 'MUG',
          quantity: 1,
          unitPrice: 500,
          lineTotal: 500,
          disposition: 'restock',
          tax: 44,
        },
      ],
      refunds: [{ method: 'card', amount: 1754 }],
      total: 1754,
    };
    const [bucket, ...others] = bucketsOf([
      storeReturnEffect(ret),
      bookedTaxEffect(
        booked({
          kind: 'return',
          documentId: 'r1',
          occurredAt: ret.occurredAt,
          included: 210,
          added: 44,
          total: 254,
        }),
      ),
    ]);
    expect(others).toEqual([]);
    expect(bucket?.figures).toMatchObject({ tax: 0, returns: 1710, returnsTax: 254, refunds: 1 });
  });

  it('gives the same sums whether the sale or ERP’s booking arrives first', () => {
    const saleFirst = bucketsOf([saleEffect(sale), bookedTaxEffect(booked())]);
    const bookingFirst = bucketsOf([bookedTaxEffect(booked()), saleEffect(sale)]);
    expect(bookingFirst).toEqual(saleFirst);
    expect(saleFirst[0]?.figures).toMatchObject({ net: 2420, tax: 420, transactions: 1 });
  });
});
