import { describe, expect, it } from 'vitest';
import type { OrderPlacedV1Data } from '@tillstream/contracts';
import type { Product } from '../catalog/catalog.decide.js';
import { AT, signed } from './finance.fixtures.js';
import { isBalanced } from './journal.decide.js';
import { onlineRefundEntry } from './online-documents.decide.js';
import { orderGoods } from './online-revenue.decide.js';
import { line, netRevenue, order, run, type Step } from './online-revenue.fixtures.js';

/** Two shirts with 10 % off and 21 % inside, and a book with 9 % inside: 2300 deposited, 423 tax. */
const SHIRTS_AND_BOOK = order([
  line('TEE', 2, 1210, 2178, 378, 210_000),
  line('BOOK', 1, 545, 545, 45, 90_000),
]);

describe('online revenue recognised as the goods ship', () => {
  it('moves the whole deposit to revenue when the order ships at once, as a sale would have booked it', () => {
    const { entries, totals } = run(SHIRTS_AND_BOOK, [{ ship: { TEE: 2, BOOK: 1 }, orderShipped: true }]);
    expect(entries[1]).toMatchObject({
      kind: 'online_shipment',
      sourceId: 'O1/O1:wh-0',
      locationId: null,
      channel: 'web',
      occurredAt: AT,
      currency: 'EUR',
      taxBases: [],
    });
    expect(signed(entries[1]!.lines)).toEqual({ '2400': 2300, '4000': -2500, '4050': 200 });
    expect(totals).toEqual({ '1150': 2723, '2100': -423, '2400': 0, '4000': -2500, '4050': 200 });
  });

  it.each<[string, OrderPlacedV1Data, Step[], Array<Record<string, number>>]>([
    [
      'by value: one shirt of two, then the rest',
      SHIRTS_AND_BOOK,
      [{ ship: { TEE: 1 } }, { ship: { TEE: 1, BOOK: 1 }, orderShipped: true }],
      [
        // 900 of the 2300 the goods carry; 978 of the 2500 sales, rounded, the discount the difference.
        { '2400': 900, '4000': -978, '4050': 78 },
        { '2400': 1400, '4000': -1522, '4050': 122 },
      ],
    ],
    [
      'by value: the cheap book first recognises the book, not a third of the order',
      SHIRTS_AND_BOOK,
      [{ ship: { BOOK: 1 } }, { ship: { TEE: 2 }, orderShipped: true }],
      [
        { '2400': 500, '4000': -543, '4050': 43 },
        { '2400': 1800, '4000': -1957, '4050': 157 },
      ],
    ],
    [
      'odd cents: three units of 10.00 one by one, rounded on the running total',
      order([line('MUG', 3, 334, 1000)]),
      [{ ship: { MUG: 1 } }, { ship: { MUG: 1 } }, { ship: { MUG: 1 }, orderShipped: true }],
      [
        { '2400': 333, '4000': -334, '4050': 1 },
        { '2400': 334, '4000': -334 },
        { '2400': 333, '4000': -334, '4050': 1 },
      ],
    ],
    [
      'the last of the goods completes the order even before ERP says so',
      order([line('MUG', 3, 334, 1000)]),
      [{ ship: { MUG: 2 } }, { ship: { MUG: 1 } }],
      [
        { '2400': 667, '4000': -668, '4050': 1 },
        { '2400': 333, '4000': -334, '4050': 1 },
      ],
    ],
    [
      'units beyond the order and SKUs it never listed earn nothing until it completes',
      order([line('MUG', 2, 500, 1000)]),
      [{ ship: { CUP: 4 } }, { ship: { MUG: 1 } }, { ship: { MUG: 5 }, orderShipped: true }],
      [
        { '2400': 500, '4000': -500 },
        { '2400': 500, '4000': -500 },
      ],
    ],
  ])(
    'recognises partial shipments %s, adding up to the deposit to the cent',
    (_what, placed, steps, expected) => {
      const { entries, totals, deposit } = run(placed, steps);
      expect(entries.slice(1).map((entry) => signed(entry.lines))).toEqual(expected);
      for (const entry of entries) expect(isBalanced(entry.lines)).toBe(true);
      expect(totals['2400']).toBe(0);
      expect(deposit.recognised).toBe(deposit.deposit);
      // What a sale of the same lines would have booked, to the cent.
      expect(-totals['4000']!).toBe(deposit.sales);
      expect(totals['4050'] ?? 0).toBe(deposit.discount);
    },
  );

  it('spreads a kit’s price over its components by units: ERP ships the components', () => {
    const kit = {
      sku: 'GIFT-BOX',
      kind: 'kit',
      components: [
        { sku: 'MUG', quantity: 2 },
        { sku: 'TEA', quantity: 1 },
      ],
    } as Product;
    const placed = order([line('GIFT-BOX', 1, 900, 900), line('TEA', 1, 300, 300)]);
    expect(
      orderGoods(
        [
          { sku: 'GIFT-BOX', quantity: 1, value: 900 },
          { sku: 'TEA', quantity: 1, value: 300 },
        ],
        new Map([['GIFT-BOX', kit]]),
      ),
    ).toEqual([
      { sku: 'MUG', quantity: 2, value: 600, shipped: 0 },
      { sku: 'TEA', quantity: 2, value: 600, shipped: 0 },
    ]);
    const { revenue } = run(placed, [{ ship: { MUG: 2 } }], new Map([['GIFT-BOX', kit]]));
    expect(revenue).toEqual({ '2400': 600, '4000': -600 });
  });

  it('recognises a free order’s sales and full discount when it completes, moving no deposit', () => {
    const { entries } = run(order([line('SAMPLE', 1, 250, 0)]), [
      { ship: { SAMPLE: 1 }, orderShipped: true },
    ]);
    // The placement moved no money: an entry with no lines, kept as the order's booking.
    expect(entries.map((entry) => signed(entry.lines))).toEqual([{}, { '4000': -250, '4050': 250 }]);
  });
});

describe('refunds of an order paid into a deposit', () => {
  const shipAll: Step = { ship: { TEE: 2, BOOK: 1 }, orderShipped: true };
  // 1000 of 2723 back: 155 of its 423 tax (in proportion), 845 of goods.
  const refund: Step = { refund: 1000 };

  it.each<[string, Step[], Record<string, number>]>([
    ['before any shipment: out of the deposit', [refund], { '1150': -1000, '2100': 155, '2400': 845 }],
    [
      'after the order shipped: a return of revenue',
      [shipAll, refund],
      { '1150': -1000, '2100': 155, '4100': 845 },
    ],
    [
      'between shipments: out of what the deposit still holds',
      [{ ship: { TEE: 2 } }, refund],
      { '1150': -1000, '2100': 155, '2400': 500, '4100': 345 },
    ],
  ])('takes a refund %s', (_what, steps, expected) => {
    const { entries } = run(SHIRTS_AND_BOOK, steps);
    expect(signed(entries.at(-1)!.lines)).toEqual(expected);
  });

  it.each<[string, Step[]]>([
    ['refund, then the shipment', [refund, shipAll]],
    ['shipment, then the refund', [shipAll, refund]],
    [
      'first parcel, refund, last parcel',
      [{ ship: { TEE: 1 } }, refund, { ship: { TEE: 1, BOOK: 1 }, orderShipped: true }],
    ],
    [
      'refund, first parcel, last parcel',
      [refund, { ship: { TEE: 1 } }, { ship: { TEE: 1, BOOK: 1 }, orderShipped: true }],
    ],
    [
      'two refunds around the parcels',
      [{ refund: 700 }, { ship: { BOOK: 1 } }, { refund: 300 }, { ship: { TEE: 2 }, orderShipped: true }],
    ],
  ])(
    'ends balanced with the deposit empty and the same net revenue, whichever log is read first: %s',
    (_what, steps) => {
      const { entries, totals, deposit } = run(SHIRTS_AND_BOOK, steps);
      for (const entry of entries) expect(isBalanced(entry.lines)).toBe(true);
      expect(totals['2400']).toBe(0);
      expect(deposit.recognised + deposit.refunded).toBe(deposit.deposit);
      // 2300 deposited less the 845 refunded without tax; the tax given back is the same whatever the order.
      expect(netRevenue(totals)).toBe(1455);
      expect(totals['2100']).toBe(-423 + 155);
    },
  );

  it('takes a refund of the whole order before it ships out of the deposit, leaving nothing to recognise', () => {
    const { entries, totals } = run(SHIRTS_AND_BOOK, [{ refund: 2723 }, shipAll]);
    expect(entries).toHaveLength(2);
    expect(totals).toEqual({ '1150': 0, '2100': 0, '2400': 0 });
  });

  it('books an old order’s refund (no deposit: revenue when placed) as returns, as before', () => {
    const { entry, deposit } = onlineRefundEntry(
      {
        orderId: 'OLD',
        refundId: 'F1',
        currency: 'EUR',
        amount: 1210,
        refunded: 1210,
        reason: 'cancelled',
        returnId: null,
        payment: { method: 'card', reference: 'pay_1' },
        refundedAt: AT,
      },
      { channel: 'web', total: 1210, tax: 210, taxBases: [{ ratePpm: 210_000, net: 1000, tax: 210 }] },
    );
    expect([signed(entry.lines), deposit]).toEqual([{ '1150': -1210, '2100': 210, '4100': 1000 }, null]);
  });
});
