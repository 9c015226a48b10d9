import { describe, expect, it } from 'vitest';
import { DomainError } from '@tillstream/kernel';
import {
  awaitingPage,
  decodeAwaitingCursor,
  decodeDepositCursor,
  depositPage,
  onlineOrderStanding,
  waitedSeconds,
  waitingCutoff,
  type KeptShipment,
  type OrderRows,
} from './online-orders.decide.js';

const NOW = new Date('2026-11-05T12:00:00.000Z');

const deposit = (over: Partial<OrderRows['deposit']> = {}): OrderRows['deposit'] => ({
  orderId: 'O1',
  channel: 'web',
  currency: 'EUR',
  sales: 2500,
  discount: 200,
  deposit: 2300,
  recognised: 0,
  recognisedSales: 0,
  refunded: 0,
  shipping: 409,
  shippingTax: 86,
  shippingRatePpm: 210_000,
  shippingRecognised: 0,
  shippingRefunded: 0,
  shippingReturned: 0,
  ...over,
});

const kept = (fulfilmentId: string, over: Partial<KeptShipment> = {}): KeptShipment => ({
  fulfilmentId,
  occurredAt: '2026-11-05T11:00:00.000Z',
  orderShipped: false,
  eventId: `ev-${fulfilmentId}`,
  waiting: false,
  lines: [{ sku: 'TEE', quantity: 1 }],
  entryNo: 7,
  ...over,
});

const rows = (over: Partial<OrderRows> = {}): OrderRows => ({
  orderId: 'O1',
  status: 'deposit',
  deposit: deposit(),
  goods: [
    { sku: 'BOOK', quantity: 1, value: 500, shipped: 0 },
    { sku: 'TEE', quantity: 2, value: 1800, shipped: 0 },
  ],
  shipments: [],
  placedAt: '2026-11-05T10:00:00.000Z',
  ...over,
});

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a domain error';
  }
  return 'nothing thrown';
};

describe("an online order's standing", () => {
  it('holds the whole deposit, goods and delivery, before anything ships', () => {
    const view = onlineOrderStanding(rows());
    expect(view).toMatchObject({
      status: 'deposit',
      channel: 'web',
      currency: 'EUR',
      goods: { deposit: 2300, recognised: 0, recognisedSales: 0, refunded: 0, left: 2300 },
      delivery: { deposit: 409, earned: 0, refunded: 0, returned: 0, left: 409 },
      left: 2709,
      items: [
        { sku: 'BOOK', ordered: 1, shipped: 0 },
        { sku: 'TEE', ordered: 2, shipped: 0 },
      ],
      shipments: [],
      waiting: [],
    });
  });

  it('shows what a first parcel earned, its entry, and what a refund took', () => {
    const view = onlineOrderStanding(
      rows({
        deposit: deposit({ recognised: 900, recognisedSales: 978, refunded: 100, shippingRecognised: 409 }),
        goods: [
          { sku: 'BOOK', quantity: 1, value: 500, shipped: 0 },
          { sku: 'TEE', quantity: 2, value: 1800, shipped: 1 },
        ],
        shipments: [kept('O1:wh-1')],
      }),
    );
    expect(view.goods).toEqual({
      sales: 2500,
      discount: 200,
      deposit: 2300,
      recognised: 900,
      recognisedSales: 978,
      refunded: 100,
      left: 1300,
    });
    expect(view.delivery).toEqual({
      deposit: 409,
      earned: 409,
      refunded: 0,
      returned: 0,
      left: 0,
      tax: 86,
      ratePpm: 210_000,
    });
    expect(view.left).toBe(1300);
    expect(view.items[1]).toEqual({ sku: 'TEE', ordered: 2, shipped: 1 });
    expect(view.shipments).toEqual([
      {
        fulfilmentId: 'O1:wh-1',
        shippedAt: '2026-11-05T11:00:00.000Z',
        orderShipped: false,
        eventId: 'ev-O1:wh-1',
        entry: { entryNo: 7, sourceId: 'O1/O1:wh-1' },
      },
    ]);
  });

  it('shows no entry for a shipment that moved nothing', () => {
    const view = onlineOrderStanding(rows({ shipments: [kept('O1:wh-1', { entryNo: null })] }));
    expect(view.shipments[0]!.entry).toBeNull();
  });

  it('lists the shipments waiting for an order not read yet, with neither channel nor currency', () => {
    const view = onlineOrderStanding(
      rows({
        status: 'awaiting_order',
        deposit: deposit({ channel: '', currency: '', sales: 0, discount: 0, deposit: 0, shipping: 0 }),
        goods: [],
        placedAt: null,
        shipments: [kept('O1:wh-1', { waiting: true, entryNo: null, orderShipped: true })],
      }),
    );
    expect(view).toMatchObject({ status: 'awaiting_order', placedAt: null, channel: null, currency: null });
    expect(view.left).toBe(0);
    expect(view.shipments).toEqual([]);
    expect(view.waiting).toEqual([
      {
        fulfilmentId: 'O1:wh-1',
        shippedAt: '2026-11-05T11:00:00.000Z',
        orderShipped: true,
        eventId: 'ev-O1:wh-1',
        lines: [{ sku: 'TEE', quantity: 1 }],
      },
    ]);
  });

  it('knows an order the journal booked as revenue before deposits existed, though no row was kept', () => {
    const view = onlineOrderStanding(rows({ status: null, deposit: deposit({ deposit: 0, shipping: 0 }) }));
    expect(view).toMatchObject({ status: 'revenue_at_placement', channel: null, left: 0 });
  });

  it('is 404 online_order_not_found for an order finance never heard of', () => {
    expect(codeOf(() => onlineOrderStanding(rows({ status: null, placedAt: null })))).toBe(
      'online_order_not_found',
    );
  });

  it('never shows a negative left, whatever the row says', () => {
    const view = onlineOrderStanding(rows({ deposit: deposit({ recognised: 2400, shippingRefunded: 500 }) }));
    expect(view.goods.left).toBe(0);
    expect(view.delivery.left).toBe(0);
  });
});

describe('the lists of online orders', () => {
  const awaiting = (orderId: string, oldestShippedAt: string) => ({ orderId, oldestShippedAt, shipments: 1 });

  it('pages the awaiting orders with how long each has waited, and a cursor only when more follow', () => {
    const page = awaitingPage(
      [awaiting('A', '2026-11-05T10:00:00.000Z'), awaiting('B', '2026-11-05T11:59:30.000Z')],
      1,
      NOW,
    );
    expect(page.orders).toEqual([{ ...awaiting('A', '2026-11-05T10:00:00.000Z'), waitingSeconds: 7200 }]);
    expect(decodeAwaitingCursor(page.next!)).toEqual({
      shippedAt: '2026-11-05T10:00:00.000Z',
      orderId: 'A',
    });
    expect(awaitingPage([awaiting('A', '2026-11-05T10:00:00.000Z')], 1, NOW).next).toBeNull();
  });

  it('pages the orders holding a deposit by id, with what each holds', () => {
    const held = (orderId: string) => ({
      orderId,
      channel: 'web',
      currency: 'EUR',
      goodsLeft: 100,
      deliveryLeft: 409,
    });
    const page = depositPage([held('A'), held('B')], 1, NOW);
    expect(page.orders).toEqual([{ ...held('A'), left: 509 }]);
    expect(decodeDepositCursor(page.next!)).toBe('A');
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['a journal cursor', '12.3'],
    ['a cursor of the other list', 'WyJBIl0'],
    // Compared as text, a forged time would answer an empty page rather than say the cursor is wrong.
    ['a time that is no instant', Buffer.from('["2026-02-30T00:00:00.000Z","A"]').toString('base64url')],
    ['a word for the time', Buffer.from('["hello","A"]').toString('base64url')],
  ])('refuses %s as an awaiting cursor: invalid_cursor', (_case, cursor) => {
    expect(codeOf(() => decodeAwaitingCursor(cursor))).toBe('invalid_cursor');
  });

  it('refuses a cursor of the awaiting list as a deposit cursor', () => {
    const cursor = awaitingPage(
      [awaiting('A', '2026-11-05T10:00:00.000Z'), awaiting('B', '2026-11-05T10:00:00.000Z')],
      1,
      NOW,
    ).next!;
    expect(codeOf(() => decodeDepositCursor(cursor))).toBe('invalid_cursor');
  });

  it('counts a wait in whole seconds, never below zero, and cuts off at the age asked', () => {
    expect(waitedSeconds('2026-11-05T11:58:59.500Z', NOW)).toBe(60);
    expect(waitedSeconds('2026-11-05T12:00:05.000Z', NOW)).toBe(0);
    expect(waitingCutoff(NOW, 90)).toBe('2026-11-05T10:30:00.000Z');
  });
});
