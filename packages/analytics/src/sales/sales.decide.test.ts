import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  OrderPlacedV1Data,
  OrderRefundedV1Data,
  ReturnCompletedV1Data,
  SaleCompletedV1Data,
} from '@tillstream/contracts';
import { addEffect, emptyBatch, type BatchTotals } from './batch.decide.js';
import {
  addFigures,
  NO_FIGURES,
  onlineReturnEffect,
  orderEffect,
  orderTaken,
  refundEffect,
  saleEffect,
  storeReturnEffect,
  type SalesEffect,
} from './sales.decide.js';

const sale = (over: Partial<SaleCompletedV1Data> = {}): SaleCompletedV1Data => ({
  saleId: 's1',
  storeId: 'store-a',
  terminalId: 't1',
  occurredAt: '2026-03-02T10:15:00+01:00',
  currency: 'EUR',
  lines: [
    { lineNo: 1, sku: 'TEE', quantity: 2, unitPrice: 1000, discount: 400, lineTotal: 1600 },
    { lineNo: 2, sku: 'MUG', quantity: 1, unitPrice: 500, lineTotal: 500 },
    { lineNo: 3, sku: 'TEE', quantity: 1, unitPrice: 1000, lineTotal: 1000 },
  ],
  payments: [{ method: 'card', amount: 3100 }],
  total: 3100,
  ...over,
});

const storeReturn: ReturnCompletedV1Data = {
  returnId: 'r1',
  storeId: 'store-a',
  terminalId: 't1',
  occurredAt: '2026-03-03T08:00:00Z',
  currency: 'EUR',
  originalSaleId: 's1',
  lines: [{ lineNo: 1, sku: 'TEE', quantity: 1, unitPrice: 800, lineTotal: 800, disposition: 'restock' }],
  refunds: [{ method: 'card', amount: 800 }],
  total: 800,
};

describe('sales figures of one document', () => {
  it('a store sale counts gross, its discounts and net in the UTC quarter hour it was rung up', () => {
    const effect = saleEffect(sale());
    expect(effect.key).toEqual({
      quarterHour: '2026-03-02T09:15',
      channel: 'pos',
      locationId: 'store-a',
      currency: 'EUR',
    });
    expect(effect.figures).toMatchObject({
      gross: 3500,
      discounts: 400,
      net: 3100,
      tax: 0,
      transactions: 1,
      units: 4,
    });
    expect(effect.products).toEqual([
      { sku: 'TEE', units: 3, net: 2600, returnedUnits: 0, returns: 0 },
      { sku: 'MUG', units: 1, net: 500, returnedUnits: 0, returns: 0 },
    ]);
  });

  it('a sale uses each promotion its lines name once, with the units and discount of those lines', () => {
    const effect = saleEffect(
      sale({
        lines: [
          {
            lineNo: 1,
            sku: 'TEE',
            quantity: 2,
            unitPrice: 1000,
            discount: 400,
            lineTotal: 1600,
            promotions: [
              { promotionId: 'spring', amount: 300 },
              { promotionId: 'members', amount: 100 },
            ],
          },
          {
            lineNo: 2,
            sku: 'MUG',
            quantity: 3,
            unitPrice: 500,
            discount: 150,
            lineTotal: 1350,
            promotions: [{ promotionId: 'spring', amount: 150 }],
          },
        ],
      }),
    );
    expect(effect.promotions).toEqual([
      { promotionId: 'spring', uses: 1, units: 5, discount: 450 },
      { promotionId: 'members', uses: 1, units: 2, discount: 100 },
    ]);
    expect(saleEffect(sale()).promotions).toEqual([]);
  });

  it('tax a till added on top is tax, not net', () => {
    const line = {
      lineNo: 1,
      sku: 'TEE',
      quantity: 1,
      unitPrice: 1000,
      lineTotal: 1000,
      tax: { ratePpm: 80_000, amount: 80 },
    };
    expect(saleEffect(sale({ lines: [line], tax: 80, total: 1080 })).figures).toMatchObject({
      net: 1000,
      tax: 80,
    });
  });

  it('a store return counts what was refunded for the goods, by SKU, in its own quarter hour', () => {
    const effect = storeReturnEffect(storeReturn);
    expect(effect.key.quarterHour).toBe('2026-03-03T08:00');
    expect(effect.figures).toMatchObject({ returns: 800, returnedUnits: 1, refunds: 1, transactions: 0 });
    expect(effect.products).toEqual([{ sku: 'TEE', units: 0, net: 0, returnedUnits: 1, returns: 800 }]);
  });

  it('an online order is net of tax added on top, and a refund counts on its order’s channel', () => {
    const placed: OrderPlacedV1Data = {
      orderId: 'o1',
      cartId: 'c1',
      reservationId: 'h1',
      channel: 'web',
      email: 'a@b.c',
      currency: 'USD',
      lines: [
        {
          lineNo: 1,
          sku: 'CAP',
          quantity: 2,
          unitPrice: 1000,
          lineTotal: 1980,
          tax: { ratePpm: 100_000, inclusive: false, amount: 180 },
        },
      ],
      total: 1980,
      payment: { method: 'test', reference: 'p1' },
      placedAt: '2026-03-02T23:59:59Z',
    };
    const order = orderEffect(placed);
    expect(order.key).toEqual({
      quarterHour: '2026-03-02T23:45',
      channel: 'web',
      locationId: '',
      currency: 'USD',
    });
    expect(order.figures).toMatchObject({
      gross: 2000,
      discounts: 200,
      net: 1800,
      tax: 180,
      transactions: 1,
      units: 2,
    });
    const refundOf = (amount: number, refunded: number): OrderRefundedV1Data => ({
      orderId: 'o1',
      refundId: `f${refunded}`,
      currency: 'USD',
      amount,
      refunded,
      reason: 'cancelled',
      returnId: null,
      payment: { method: 'test', reference: 'p1' },
      refundedAt: '2026-03-03T00:10:00Z',
    });
    const taken = orderTaken(placed);
    expect(taken).toEqual({
      channel: 'web',
      locationId: '',
      total: 1980,
      tax: 180,
      addedTax: 180,
      shipping: 0,
      rates: [{ ratePpm: 100_000, net: 1800, tax: 180 }],
      delivery: null,
    });
    const refund = refundEffect(refundOf(1980, 1980), 'web-nl', taken);
    expect(refund.key).toMatchObject({ quarterHour: '2026-03-03T00:00', channel: 'web-nl' });
    // The whole order back: its lines less the tax added on top, as its `net` was, and all of its tax.
    expect(refund.figures).toMatchObject({ returns: 1800, returnsTax: 180, refunds: 1 });
    // In three parts, the tax given back on the running total adds up to the order's to the cent.
    const parts = [refundOf(661, 661), refundOf(660, 1321), refundOf(659, 1980)].map(
      (part) => refundEffect(part, 'web', taken).figures,
    );
    expect(parts.map((part) => part.returnsTax)).toEqual([60, 60, 60]);
    expect(parts.reduce((sum, part) => sum + part.returns, 0)).toBe(1800);
    // An order remembered before totals were kept: the refund counts whole, with no tax, as it did.
    const unknown = refundEffect(refundOf(1980, 1980), 'web', { ...taken, total: null });
    expect(unknown.figures).toMatchObject({ returns: 1980, returnsTax: 0 });
  });

  it('an online return counts its units per product, on its order’s channel, and no money', () => {
    const effect = onlineReturnEffect(
      {
        returnId: 'r1',
        orderId: 'o1',
        locationId: null,
        lines: [
          { sku: 'CAP', quantity: 2, disposition: 'restock' },
          { sku: 'CAP', quantity: 1, disposition: 'damaged' },
          { sku: 'TEE', quantity: 1, disposition: 'restock' },
        ],
        refund: { currency: 'USD', amount: 4000 },
        receivedAt: '2026-03-04T10:20:00Z',
      },
      { channel: 'web-nl', locationId: '' },
    );
    expect(effect.key).toEqual({
      quarterHour: '2026-03-04T10:15',
      channel: 'web-nl',
      locationId: '',
      currency: 'USD',
    });
    expect(effect.figures).toEqual({ ...NO_FIGURES, returnedUnits: 4 });
    expect(effect.products).toEqual([
      { sku: 'CAP', units: 0, net: 0, returnedUnits: 3, returns: 0 },
      { sku: 'TEE', units: 0, net: 0, returnedUnits: 1, returns: 0 },
    ]);
  });

  it('a refund of an order whose prices include tax gives the tax back inside its returns', () => {
    const taken = {
      channel: 'web',
      locationId: '',
      total: 1210,
      tax: 210,
      addedTax: 0,
      shipping: 0,
      rates: [{ ratePpm: 210_000, net: 1000, tax: 210 }],
    };
    const refund = refundEffect(
      {
        orderId: 'o2',
        refundId: 'f1',
        currency: 'EUR',
        amount: 605,
        refunded: 605,
        reason: 'goodwill',
        returnId: null,
        payment: { method: 'test', reference: 'p2' },
        refundedAt: '2026-03-03T00:10:00Z',
      },
      'web',
      taken,
    );
    expect(refund.figures).toMatchObject({ returns: 605, returnsTax: 105 });
    expect(refund.taxRates).toEqual([{ ratePpm: 210_000, net: 0, tax: 0, returnsNet: 500, returnsTax: 105 }]);
  });
});

/** Plain objects of a batch's totals, independent of the order the maps were filled in. */
const snapshot = (totals: BatchTotals) => ({
  buckets: Object.fromEntries([...totals.buckets].sort(([a], [b]) => a.localeCompare(b))),
  products: Object.fromEntries([...totals.products].sort(([a], [b]) => a.localeCompare(b))),
});

/** What the consumer applies: each event once (the inbox drops a redelivery), in the order they came. */
function applyOnce(deliveries: Array<{ id: number; effect: SalesEffect }>): BatchTotals {
  const seen = new Set<number>();
  const totals = emptyBatch();
  for (const delivery of deliveries) {
    if (seen.has(delivery.id)) continue;
    seen.add(delivery.id);
    addEffect(totals, delivery.effect);
  }
  return totals;
}

describe('totals over many documents', () => {
  const documents: SalesEffect[] = [
    saleEffect(sale()),
    saleEffect(sale({ saleId: 's2', occurredAt: '2026-03-02T09:59:59Z' })),
    saleEffect(sale({ saleId: 's3', storeId: 'store-b', occurredAt: '2026-03-02T11:00:00Z' })),
    saleEffect(sale({ saleId: 's4', currency: 'SEK' })),
    saleEffect(
      sale({
        saleId: 's5',
        lines: [
          {
            lineNo: 1,
            sku: 'TEE',
            quantity: 1,
            unitPrice: 1000,
            discount: 100,
            lineTotal: 900,
            promotions: [{ promotionId: 'spring', amount: 100 }],
          },
        ],
      }),
    ),
    saleEffect(
      sale({
        saleId: 's6',
        occurredAt: '2026-03-02T09:05:00Z',
        lines: [
          {
            lineNo: 1,
            sku: 'MUG',
            quantity: 2,
            unitPrice: 500,
            discount: 200,
            lineTotal: 800,
            promotions: [{ promotionId: 'spring', amount: 200 }],
          },
        ],
      }),
    ),
    storeReturnEffect(storeReturn),
    storeReturnEffect({ ...storeReturn, returnId: 'r2', occurredAt: '2026-03-02T09:30:00Z' }),
  ];
  const deliveries = documents.map((effect, id) => ({ id, effect }));

  it('come out the same whatever the order and however often each event is delivered', () => {
    const expected = snapshot(applyOnce(deliveries));
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: documents.length - 1 }), { maxLength: 20 }),
        fc.infiniteStream(fc.nat()),
        (repeats, randoms) => {
          const arrived = [...deliveries, ...repeats.map((id) => deliveries[id]!)];
          // A shuffle drawn from the stream: late syncs, redeliveries and interleaved sources.
          for (let index = arrived.length - 1; index > 0; index -= 1) {
            const other = randoms.next().value % (index + 1);
            [arrived[index], arrived[other]] = [arrived[other]!, arrived[index]!];
          }
          expect(snapshot(applyOnce(arrived))).toEqual(expected);
        },
      ),
    );
  });

  it('never add currencies together and keep each quarter hour apart', () => {
    const totals = applyOnce(deliveries);
    const keys = [...totals.buckets.values()].map(
      ({ key }) => `${key.quarterHour} ${key.locationId} ${key.currency}`,
    );
    expect(keys.sort()).toEqual([
      '2026-03-02T09:00 store-a EUR',
      '2026-03-02T09:15 store-a EUR',
      '2026-03-02T09:15 store-a SEK',
      '2026-03-02T09:30 store-a EUR',
      '2026-03-02T09:45 store-a EUR',
      '2026-03-02T11:00 store-b EUR',
      '2026-03-03T08:00 store-a EUR',
    ]);
    const nineEur = [...totals.buckets.values()]
      .filter(({ key }) => key.quarterHour.startsWith('2026-03-02T09') && key.currency === 'EUR')
      .reduce((sum, { figures }) => addFigures(sum, figures), NO_FIGURES);
    expect(nineEur).toMatchObject({ transactions: 4, net: 7900, returns: 800, units: 11 });
    const teeQuarterHours = [...totals.products.values()].filter(
      ({ key, product }) =>
        key.quarterHour.startsWith('2026-03-02T09') && key.currency === 'EUR' && product.sku === 'TEE',
    );
    // The hour's 7 tees for 6,100 and the one returned, in the quarter hours they were sold and returned in.
    expect(teeQuarterHours.map(({ key, product }) => [key.quarterHour, product]).sort()).toEqual([
      ['2026-03-02T09:15', { sku: 'TEE', units: 4, net: 3500, returnedUnits: 0, returns: 0 }],
      ['2026-03-02T09:30', { sku: 'TEE', units: 0, net: 0, returnedUnits: 1, returns: 800 }],
      ['2026-03-02T09:45', { sku: 'TEE', units: 3, net: 2600, returnedUnits: 0, returns: 0 }],
    ]);
    expect([...totals.promotions.values()].map(({ key, promotion }) => [key.quarterHour, promotion])).toEqual(
      [
        ['2026-03-02T09:15', { promotionId: 'spring', uses: 1, units: 1, discount: 100 }],
        ['2026-03-02T09:00', { promotionId: 'spring', uses: 1, units: 2, discount: 200 }],
      ],
    );
  });
});
