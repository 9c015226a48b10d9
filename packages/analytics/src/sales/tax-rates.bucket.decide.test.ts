import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
import { AT, booked, order, refund, sale } from './tax-rates.fixtures.js';

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
      // What each refund names of the delivery, if it says (a refund of before says nothing).
      refunds: fc.array(fc.record({ amount: money, shipping: fc.option(money, { nil: undefined }) }), {
        maxLength: 3,
      }),
      known: fc.constantFrom('delivery', 'rates', 'total', 'none'),
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
      // 'rates': remembered before the delivery was kept apart; 'total': before rates were.
      const taken =
        known === 'none'
          ? null
          : {
              ...orderTaken(placed),
              ...(known === 'delivery' ? {} : { delivery: undefined }),
              ...(known === 'total' ? { rates: null } : {}),
            };
      let refunded = 0;
      let shippingRefunded = 0;
      const effects = [orderEffect(placed)];
      for (const { amount, shipping } of refunds) {
        refunded += amount;
        shippingRefunded += shipping ?? 0;
        const named = shipping === undefined ? {} : { shipping, shippingRefunded };
        effects.push(refundEffect({ ...refund(amount, refunded), ...named }, 'web', taken));
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
