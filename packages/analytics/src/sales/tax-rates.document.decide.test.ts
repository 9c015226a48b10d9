import { describe, expect, it } from 'vitest';
import type { ReturnCompletedV1Data } from '@tillstream/contracts';
import { bookedTaxEffect } from './booked-tax.decide.js';
import { orderEffect, orderTaken, refundEffect, saleEffect, storeReturnEffect } from './sales.decide.js';
import { AT, booked, inclusiveOrder, rate, refund, sale } from './tax-rates.fixtures.js';
import type { RateFigures } from './tax-rates.decide.js';

describe('tax per rate of one document', () => {
  it('a store sale gives the lines the till added tax to at their rate, and leaves the others to ERP', () => {
    const effect = saleEffect(
      sale([
        {
          lineNo: 1,
          sku: 'TEE',
          quantity: 1,
          unitPrice: 1000,
          lineTotal: 1000,
          tax: { ratePpm: 210_000, amount: 210 },
        },
        {
          lineNo: 2,
          sku: 'BREAD',
          quantity: 2,
          unitPrice: 200,
          lineTotal: 400,
          tax: { ratePpm: 90_000, amount: 36 },
        },
        { lineNo: 3, sku: 'MUG', quantity: 1, unitPrice: 500, lineTotal: 500 },
      ]),
    );
    expect(effect.taxRates).toEqual([
      rate(90_000, { net: 400, tax: 36 }),
      rate(210_000, { net: 1000, tax: 210 }),
    ]);
  });

  it('a sale whose stated tax is not its lines’ puts the difference under no rate: the row’s tax is kept', () => {
    const effect = saleEffect(
      sale(
        [
          {
            lineNo: 1,
            sku: 'TEE',
            quantity: 1,
            unitPrice: 1000,
            lineTotal: 1000,
            tax: { ratePpm: 210_000, amount: 210 },
          },
        ],
        211,
      ),
    );
    expect(effect.figures.tax).toBe(211);
    expect(effect.taxRates).toEqual([rate(210_000, { net: 1000, tax: 210 }), rate(null, { tax: 1 })]);
  });

  it('ERP’s booking gives the tax inside prices per rate, and not the added tax the POS event counts', () => {
    const effect = bookedTaxEffect(
      booked({
        included: 246,
        added: 89,
        total: 335,
        rates: [
          { ratePpm: 88_750, charged: 'added', net: 1000, tax: 89 },
          { ratePpm: 90_000, charged: 'included', net: 400, tax: 36 },
          { ratePpm: 210_000, charged: 'included', net: 1000, tax: 210 },
          { ratePpm: null, charged: 'included', net: 500, tax: 0 },
        ],
      }),
    );
    expect(effect.taxRates).toEqual([
      rate(90_000, { net: 400, tax: 36 }),
      rate(210_000, { net: 1000, tax: 210 }),
      rate(null, { net: 500 }),
    ]);
    const ret = bookedTaxEffect(
      booked({
        kind: 'return',
        included: 105,
        total: 105,
        rates: [{ ratePpm: 210_000, charged: 'included', net: 500, tax: 105 }],
      }),
    );
    expect(ret.taxRates).toEqual([rate(210_000, { returnsNet: 500, returnsTax: 105 })]);
  });

  it('a booking from before ERP said its rates gives its tax under no rate, with no net: nothing is guessed', () => {
    expect(bookedTaxEffect(booked({ included: 420, total: 420 })).taxRates).toEqual([
      rate(null, { tax: 420 }),
    ]);
    expect(bookedTaxEffect(booked({ kind: 'return', included: 210, total: 210 })).taxRates).toEqual([
      rate(null, { returnsTax: 210 }),
    ]);
  });

  it('a store return gives the added tax back at the rate the till states, else under no rate', () => {
    const ret: ReturnCompletedV1Data = {
      returnId: 'r1',
      storeId: 'store-a',
      terminalId: 't1',
      occurredAt: AT,
      currency: 'EUR',
      originalSaleId: 's1',
      lines: [
        {
          lineNo: 1,
          sku: 'TEE',
          quantity: 1,
          unitPrice: 1000,
          lineTotal: 1000,
          disposition: 'restock',
          tax: 210,
          taxRatePpm: 210_000,
        },
        {
          lineNo: 2,
          sku: 'MUG',
          quantity: 1,
          unitPrice: 500,
          lineTotal: 500,
          disposition: 'restock',
          tax: 44,
        },
        { lineNo: 3, sku: 'SOCK', quantity: 1, unitPrice: 300, lineTotal: 300, disposition: 'restock' },
      ],
      refunds: [],
      total: 2054,
    };
    expect(storeReturnEffect(ret).taxRates).toEqual([
      rate(210_000, { returnsNet: 1000, returnsTax: 210 }),
      rate(null, { returnsNet: 500, returnsTax: 44 }),
    ]);
  });

  it('an online order counts each line at the rate it states, without its tax', () => {
    expect(orderEffect(inclusiveOrder).taxRates).toEqual([
      rate(90_000, { net: 400, tax: 36 }),
      rate(210_000, { net: 1000, tax: 210 }),
    ]);
  });

  it('refunds split over the order’s rates as ERP’s journal splits them, adding up to the order per rate', () => {
    const taken = orderTaken(inclusiveOrder);
    const parts = [refund(600, 600), refund(600, 1200), refund(446, 1646)].map((part) =>
      refundEffect(part, 'web', taken),
    );
    const perRate = new Map<number | null, RateFigures>();
    for (const part of parts) {
      expect(part.taxRates.reduce((sum, r) => sum + r.returnsTax, 0)).toBe(part.figures.returnsTax);
      for (const r of part.taxRates) {
        const known = perRate.get(r.ratePpm) ?? rate(r.ratePpm, {});
        perRate.set(r.ratePpm, {
          ...known,
          returnsNet: known.returnsNet + r.returnsNet,
          returnsTax: known.returnsTax + r.returnsTax,
        });
      }
    }
    expect([...perRate.values()].sort((a, b) => (a.ratePpm ?? 0) - (b.ratePpm ?? 0))).toEqual([
      rate(90_000, { returnsNet: 400, returnsTax: 36 }),
      rate(210_000, { returnsNet: 1000, returnsTax: 210 }),
    ]);
  });

  it('a refund of an order remembered before rates, or never seen, is under no rate', () => {
    const taken = { ...orderTaken(inclusiveOrder), rates: null };
    expect(refundEffect(refund(1646, 1646), 'web', taken).taxRates).toEqual([
      rate(null, { returnsNet: 1400, returnsTax: 246 }),
    ]);
    expect(refundEffect(refund(500, 500), 'web', null).taxRates).toEqual([rate(null, { returnsNet: 500 })]);
  });
});
