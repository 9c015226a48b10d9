import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { onlineRevenueRig, pgUrl } from './online-revenue.rig.js';

/**
 * An online order's standing as finance holds it, built by the finance consumer from the documents commerce and
 * ERP publish, and the lists and gauges that show the orders stuck waiting for their placement.
 */
describe.each(harnessDialects(pgUrl))('online orders in the books on %s', (dialect) => {
  const rig = onlineRevenueRig(dialect);
  const { tee, book } = rig.skus;
  const standing = async (orderId: string) => {
    await rig.erp().allFinished();
    return rig.erp().api('GET', `/finance/online-orders/${orderId}`);
  };
  const list = async (query: string) => {
    const response = await rig.erp().api('GET', `/finance/online-orders?${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };
  /** Every page of a list, following `next`. */
  const all = async (query: string, limit: number) => {
    const orders: Array<Record<string, unknown>> = [];
    let cursor: string | null = null;
    do {
      const body = await list(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      orders.push(...body.orders);
      cursor = body.next;
    } while (cursor);
    return orders;
  };
  const gauges = async () => {
    const registry = new Registry();
    rig.erp().module.metrics!(registry);
    const text = await registry.metrics();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    return {
      waiting: value('tillstream_finance_shipments_awaiting_order'),
      oldestAgeSeconds: value('tillstream_finance_shipments_awaiting_order_oldest_age_seconds'),
    };
  };

  it('follows an order with delivery from its deposit, through a first parcel and a refund, to empty', async () => {
    const orderId = uniqueName('order');
    await rig.bookFinance('commerce', rig.placed(orderId, rig.shirtsAndBook(), undefined, rig.delivery()));
    const placed = await standing(orderId);
    expect(placed.status).toBe(200);
    expect(placed.body).toMatchObject({
      orderId,
      status: 'deposit',
      placedAt: '2026-11-05T10:00:00.000Z',
      channel: 'web',
      currency: 'EUR',
      goods: { sales: 2500, discount: 200, deposit: 2300, recognised: 0, refunded: 0, left: 2300 },
      delivery: { deposit: 409, earned: 0, refunded: 0, returned: 0, left: 409, tax: 86, ratePpm: 210_000 },
      left: 2709,
      shipments: [],
      waiting: [],
    });
    expect(placed.body.items).toEqual(
      [
        { sku: tee, ordered: 2, shipped: 0 },
        { sku: book, ordered: 1, shipped: 0 },
      ].sort((a, b) => (a.sku < b.sku ? -1 : 1)),
    );
    expect((await all('status=deposit', 500)).map((order) => order.orderId)).toContain(orderId);

    const parcel = rig.shipped(
      orderId,
      'wh-1',
      [{ sku: tee, quantity: 1 }],
      false,
      '2026-11-06T09:00:00.000Z',
    );
    await rig.bookFinance('erp', parcel);
    const firstParcel = (await standing(orderId)).body;
    // 900 of the goods' 2300 (one shirt at its price after discount) and the whole delivery.
    expect(firstParcel).toMatchObject({
      goods: { recognised: 900, recognisedSales: 978, left: 1400 },
      delivery: { earned: 409, left: 0 },
      left: 1400,
    });
    expect(firstParcel.items.find((item: { sku: string }) => item.sku === tee)).toEqual({
      sku: tee,
      ordered: 2,
      shipped: 1,
    });
    const entry = (await rig.entriesOf(orderId)).find((each) => each.kind === 'online_shipment')!;
    expect(firstParcel.shipments).toEqual([
      {
        fulfilmentId: `${orderId}:wh-1`,
        shippedAt: '2026-11-06T09:00:00.000Z',
        orderShipped: false,
        eventId: parcel.id,
        entry: { entryNo: expect.any(Number), sourceId: entry.sourceId },
      },
    ]);

    // The rest is cancelled: the refund takes what the deposit holds, and the order leaves the list.
    await rig.bookFinance('commerce', rig.refunded(orderId, 'F1', 1722, 1722, '2026-11-07T09:00:00.000Z'));
    const refunded = (await standing(orderId)).body;
    expect(refunded.goods).toMatchObject({ recognised: 900, refunded: 1400, left: 0 });
    expect(refunded.left).toBe(0);
    expect((await all('status=deposit', 500)).map((order) => order.orderId)).not.toContain(orderId);
  });

  it('shows a shipment read before its order as waiting, lists and counts it, and books it once placed', async () => {
    // Shipped in 2001, before anything else in this database: the oldest waiting, whatever other tests leave.
    const rig2001 = (hour: string) => `2001-01-01T${hour}:00:00.000Z`;
    rig.erp().clock.set('2001-01-01T12:00:00.000Z');
    const before = await gauges();
    const [first, second, third] = [1, 2, 3].map(() => uniqueName('order')) as [string, string, string];
    const parcels = {
      first: rig.shipped(first, 'wh-1', rig.allOfIt(), true, rig2001('09')),
      second: rig.shipped(second, 'wh-1', [{ sku: tee, quantity: 1 }], false, rig2001('10')),
      secondRest: rig.shipped(second, 'wh-2', [{ sku: tee, quantity: 1 }], false, rig2001('11')),
      third: rig.shipped(third, 'wh-1', rig.allOfIt(), true, rig2001('11')),
    };
    await rig.bookFinance('erp', ...Object.values(parcels));

    const waiting = await standing(second);
    expect(waiting.status).toBe(200);
    expect(waiting.body).toMatchObject({
      status: 'awaiting_order',
      placedAt: null,
      channel: null,
      currency: null,
      left: 0,
      items: [],
      shipments: [],
    });
    expect(waiting.body.waiting).toEqual([
      {
        fulfilmentId: `${second}:wh-1`,
        shippedAt: rig2001('10'),
        orderShipped: false,
        eventId: parcels.second.id,
        lines: [{ sku: tee, quantity: 1 }],
      },
      {
        fulfilmentId: `${second}:wh-2`,
        shippedAt: rig2001('11'),
        orderShipped: false,
        eventId: parcels.secondRest.id,
        lines: [{ sku: tee, quantity: 1 }],
      },
    ]);

    // Two a page, oldest waiting first; each order once, by its oldest shipment.
    const page = await list('status=awaiting_order&limit=2');
    expect(page.orders).toEqual([
      { orderId: first, oldestShippedAt: rig2001('09'), shipments: 1, waitingSeconds: 3 * 3600 },
      { orderId: second, oldestShippedAt: rig2001('10'), shipments: 2, waitingSeconds: 2 * 3600 },
    ]);
    const next = await list(`status=awaiting_order&limit=2&cursor=${page.next}`);
    expect(next.orders[0]).toEqual({
      orderId: third,
      oldestShippedAt: rig2001('11'),
      shipments: 1,
      waitingSeconds: 3600,
    });
    // Waiting at least 90 minutes: the first two, not the third (shipped an hour ago).
    expect((await all('status=awaiting_order&olderThanMinutes=90', 1)).map((order) => order.orderId)).toEqual(
      [first, second],
    );
    expect(await gauges()).toEqual({ waiting: before.waiting + 4, oldestAgeSeconds: 3 * 3600 });

    // The first order's placement comes: its shipment is booked and it is no longer stuck.
    await rig.bookFinance('commerce', rig.placed(first));
    const booked = (await standing(first)).body;
    expect(booked).toMatchObject({ status: 'deposit', waiting: [], left: 0 });
    expect(booked.shipments).toHaveLength(1);
    expect(booked.shipments[0]).toMatchObject({
      eventId: parcels.first.id,
      entry: { sourceId: `${first}/${first}:wh-1` },
    });
    expect((await all('status=awaiting_order', 500)).map((order) => order.orderId)).not.toContain(first);
    expect(await gauges()).toEqual({ waiting: before.waiting + 3, oldestAgeSeconds: 2 * 3600 });
  });

  it('is 404 online_order_not_found for an order finance never heard of', async () => {
    const response = await standing(uniqueName('never-placed'));
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('online_order_not_found');
  });

  it.each([
    ['no status', '', 400, 'validation_failed'],
    ['an unknown status', 'status=shipped', 400, 'validation_failed'],
    ['a status of the view only', 'status=revenue_at_placement', 400, 'validation_failed'],
    ['a negative age', 'status=awaiting_order&olderThanMinutes=-1', 400, 'validation_failed'],
    ['an age that is no number', 'status=awaiting_order&olderThanMinutes=soon', 400, 'validation_failed'],
    ['an age in fractions', 'status=awaiting_order&olderThanMinutes=1.5', 400, 'validation_failed'],
    ['a limit of 0', 'status=deposit&limit=0', 400, 'validation_failed'],
    ['a limit too large', 'status=deposit&limit=501', 400, 'validation_failed'],
    ['an unknown filter', 'status=deposit&channel=web', 400, 'validation_failed'],
    ['a cursor it never gave', 'status=awaiting_order&cursor=bm90LWEtY3Vyc29y', 400, 'invalid_cursor'],
    ['a deposit cursor of another spelling', 'status=deposit&cursor=WyJBIl0=', 400, 'invalid_cursor'],
    ['an age on the deposit list', 'status=deposit&olderThanMinutes=5', 400, 'online_orders_query_invalid'],
  ])('refuses %s with problem+json', async (_case, query, status, code) => {
    const response = await rig.erp().api('GET', `/finance/online-orders?${query}`);
    expect(response.status).toBe(status);
    expect(response.body.code).toBe(code);
  });
});
