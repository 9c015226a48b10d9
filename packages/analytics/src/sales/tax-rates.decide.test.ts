import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  OrderPlacedV1Data,
  OrderRefundedV1Data,
  ReturnCompletedV1Data,
  SaleCompletedV1Data,
  SalesTaxBookedV1Data,
} from '@tillstream/contracts';
import { addEffect, emptyBatch } from './batch.decide.js';
import { bookedTaxEffect } from './booked-tax.decide.js';
import {
  orderEffect,
  orderTaken,
  refundEffect,
  saleEffect,
  storeReturnEffect,
  type SalesEffect,
} from './sales.decide.js';
import type { RateFigures } from './tax-rates.decide.js';

const AT = '2026-03-02T10:00:00Z';
const rate = (ratePpm: number | null, over: Partial<RateFigures>): RateFigures => ({
  ratePpm,
  net: 0,
  tax: 0,
  returnsNet: 0,
  returnsTax: 0,
  ...over,
});

const sale = (lines: SaleCompletedV1Data['lines'], tax?: number): SaleCompletedV1Data => ({
  saleId: 's1',
  storeId: 'store-a',
  terminalId: 't1',
  occurredAt: AT,
  currency: 'EUR',
  lines,
  payments: [],
  total: 0,
  ...(tax === undefined ? {} : { tax }),
});

const booked = (over: Partial<SalesTaxBookedV1Data>): SalesTaxBookedV1Data => ({
  kind: 'sale',
  documentId: 's1',
  storeId: 'store-a',
  occurredAt: AT,
  currency: 'EUR',
  included: 0,
  added: 0,
  total: 0,
  ...over,
});

const order = (
  lines: OrderPlacedV1Data['lines'],
  shipping?: OrderPlacedV1Data['shipping'],
): OrderPlacedV1Data => ({
  orderId: 'o1',
  cartId: 'c1',
  reservationId: 'h1',
  channel: 'web',
  email: 'a@example.com',
  currency: 'EUR',
  lines,
  ...(shipping ? { shipping } : {}),
  total: lines.reduce((sum, line) => sum + line.lineTotal, 0) + (shipping?.amount ?? 0),
  payment: { method: 'test', reference: 'p1' },
  placedAt: AT,
});

const refund = (amount: number, refunded: number): OrderRefundedV1Data => ({
  orderId: 'o1',
  refundId: `f${refunded}`,
  currency: 'EUR',
  amount,
  refunded,
  reason: 'cancelled',
  returnId: null,
  payment: { method: 'test', reference: 'p1' },
  refundedAt: AT,
});

/** A 21 % tee at 12.10 and a 9 % loaf at 2 × 2.18, both with their tax inside the price. */
const inclusiveOrder = order([
  {
    lineNo: 1,
    sku: 'TEE',
    quantity: 1,
    unitPrice: 1210,
    lineTotal: 1210,
    tax: { ratePpm: 210_000, inclusive: true, amount: 210 },
  },
  {
    lineNo: 2,
    sku: 'BREAD',
    quantity: 2,
    unitPrice: 218,
    lineTotal: 436,
    tax: { ratePpm: 90_000, inclusive: true, amount: 36 },
  },
]);

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

const rates = fc.constantFrom<number | null>(0, 90_000, 210_000, null);
const money = fc.integer({ min: 0, max: 100_000 });
const lineTax = fc.option(fc.record({ ratePpm: fc.constantFrom(0, 90_000, 210_000), amount: money }), {
  nil: undefined,
});

/** Any document analytics counts, however its tax figures relate to its lines: what a till or ERP may send. */
const document: fc.Arbitrary<SalesEffect> = fc.oneof(
  fc
    .record({ taxes: fc.array(lineTax, { maxLength: 4 }), stated: fc.option(money, { nil: undefined }) })
    .map(({ taxes, stated }) =>
      saleEffect(
        sale(
          taxes.map((tax, index) => ({
            lineNo: index + 1,
            sku: 'X',
            quantity: 1,
            unitPrice: 100,
            lineTotal: 100,
            ...(tax ? { tax } : {}),
          })),
          stated,
        ),
      ),
    ),
  fc
    .record({
      kind: fc.constantFrom<'sale' | 'return'>('sale', 'return'),
      included: money,
      rates: fc.option(
        fc.array(
          fc.record({
            ratePpm: rates,
            charged: fc.constantFrom<'included' | 'added'>('included', 'added'),
            net: money,
            tax: money,
          }),
          { maxLength: 4 },
        ),
        { nil: undefined },
      ),
    })
    .map(({ kind, included, rates: split }) =>
      bookedTaxEffect(booked({ kind, included, ...(split ? { rates: split } : {}) })),
    ),
  fc
    .record({
      lines: fc.array(fc.record({ total: money, tax: lineTax }), { minLength: 1, maxLength: 4 }),
      delivery: fc.option(
        fc.record({
          net: money,
          tax: money,
          ratePpm: fc.constantFrom(0, 90_000, 210_000),
          inclusive: fc.boolean(),
        }),
        { nil: undefined },
      ),
      refunds: fc.array(money, { maxLength: 3 }),
      known: fc.constantFrom('rates', 'total', 'none'),
    })
    .chain(({ lines, delivery, refunds, known }) => {
      const placed = order(
        lines.map(({ total, tax }, index) => ({
          lineNo: index + 1,
          sku: 'X',
          quantity: 1,
          unitPrice: total,
          lineTotal: total + (tax?.amount ?? 0),
          ...(tax ? { tax: { ...tax, inclusive: index % 2 === 0 } } : {}),
        })),
        delivery && {
          methodId: 'm1',
          name: 'Standard',
          amount: delivery.net + delivery.tax,
          tax: { ratePpm: delivery.ratePpm, inclusive: delivery.inclusive, amount: delivery.tax },
          address: { name: 'A', line1: 'Street 1', postalCode: '1000', city: 'City', country: 'NL' },
        },
      );
      const taken =
        known === 'none' ? null : { ...orderTaken(placed), ...(known === 'total' ? { rates: null } : {}) };
      let refunded = 0;
      const effects = [orderEffect(placed)];
      for (const amount of refunds) {
        refunded += amount;
        effects.push(refundEffect(refund(amount, refunded), 'web', taken));
      }
      return fc.constant(effects).chain((all) => fc.constantFrom(...all));
    }),
  fc
    .array(
      fc.record({
        tax: fc.option(money, { nil: undefined }),
        ratePpm: fc.option(fc.constantFrom(90_000, 210_000), { nil: undefined }),
      }),
      { maxLength: 4 },
    )
    .map((lines) =>
      storeReturnEffect({
        returnId: 'r1',
        storeId: 'store-a',
        terminalId: 't1',
        occurredAt: AT,
        currency: 'EUR',
        originalSaleId: null,
        lines: lines.map(({ tax, ratePpm }, index) => ({
          lineNo: index + 1,
          sku: 'X',
          quantity: 1,
          unitPrice: 100,
          lineTotal: 100,
          disposition: 'restock',
          ...(tax === undefined ? {} : { tax }),
          ...(ratePpm === undefined ? {} : { taxRatePpm: ratePpm }),
        })),
        refunds: [],
        total: 0,
      }),
    ),
);

describe('a bucket’s tax per rate', () => {
  it('adds up to its tax and returned tax exactly, whatever documents it holds and whatever they state', () => {
    fc.assert(
      fc.property(fc.array(document, { maxLength: 30 }), (effects) => {
        const totals = emptyBatch();
        for (const effect of effects) addEffect(totals, effect);
        for (const [bucket, { figures }] of totals.buckets) {
          const ofBucket = [...totals.rates].filter(([id]) => id.startsWith(`${bucket}\u0000`));
          expect(ofBucket.reduce((sum, [, { rate: r }]) => sum + r.tax, 0)).toBe(figures.tax);
          expect(ofBucket.reduce((sum, [, { rate: r }]) => sum + r.returnsTax, 0)).toBe(figures.returnsTax);
        }
      }),
    );
  });
});
