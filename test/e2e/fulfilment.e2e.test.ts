import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { hubEvents } from '../support/fixtures.js';
import { expectLedgerTrue, putLocation, putProduct, receive, stockAt } from '../support/inventory.js';

interface Fulfilment {
  id: string;
  locationId: string;
  status: string;
  lines: Array<{ sku: string; quantity: number }>;
}

describe.each(ENGINES)('ERP fulfils online orders and commerce follows (%s)', (engine) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startPlatform(engine);
  });
  afterAll(async () => platform?.stop());

  /** Places an order for `quantity` units through the storefront; the `web` channel holds from warehouses. */
  const placeOrder = async (sku: string, quantity: number) => {
    await eventually(
      async () => (await platform.request('GET', `/commerce/v1/products/${sku}`)).status === 200,
      20_000,
      'the storefront knows the product',
    );
    const cart = await platform.request('POST', '/commerce/v1/carts', {});
    await platform.request('POST', `/commerce/v1/carts/${cart.body.id}/lines`, { sku, quantity });
    const order = await platform.request('POST', `/commerce/v1/carts/${cart.body.id}/checkout`, {
      email: 'shopper@example.com',
      payment: { method: 'test' },
    });
    expect([order.status, order.body.status]).toEqual([201, 'placed']);
    return order.body.id as string;
  };
  const fulfilmentsOf = async (orderId: string, count: number) =>
    eventually(
      async () => {
        const response = await platform.request('GET', `/erp/v1/fulfillments?orderId=${orderId}`);
        const list = response.body.fulfillments as Fulfilment[] | undefined;
        return list && list.length === count ? list : null;
      },
      20_000,
      'ERP creates the fulfilments',
    );
  const orderStatus = (orderId: string, status: string) =>
    eventually(
      async () => {
        const order = await platform.request('GET', `/commerce/v1/orders/${orderId}`);
        return order.body.status === status ? order.body : null;
      },
      20_000,
      `the order becomes ${status}`,
    );

  it('placed → allocated (split over two warehouses) → shipped; stock leaves on ship', async () => {
    const sku = await putProduct(platform);
    const [first, second] = [
      await putLocation(platform, 'warehouse'),
      await putLocation(platform, 'warehouse'),
    ];
    await receive(platform, sku, first, 2);
    await receive(platform, sku, second, 2);
    const orderId = await placeOrder(sku, 3);

    const fulfilments = await fulfilmentsOf(orderId, 2);
    expect(fulfilments.map((each) => each.status)).toEqual(['allocated', 'allocated']);
    expect(fulfilments.flatMap((each) => each.lines).reduce((sum, line) => sum + line.quantity, 0)).toBe(3);
    expect(new Set(fulfilments.map((each) => each.locationId))).toEqual(new Set([first, second]));
    await orderStatus(orderId, 'allocated');

    const [one, two] = fulfilments as [Fulfilment, Fulfilment];
    const shipped = await platform.request('POST', `/erp/v1/fulfillments/${one.id}/ship`);
    expect([shipped.status, shipped.body.status]).toEqual([200, 'shipped']);
    const repeated = await platform.request('POST', `/erp/v1/fulfillments/${one.id}/ship`);
    expect([repeated.status, repeated.body.version]).toEqual([200, shipped.body.version]);
    // The parcel's units left the building with it: gone from on-hand and reserved there, while the rest of
    // the order stays held; the order shows that part of it left.
    expect(await stockAt(platform, sku, one.locationId)).toMatchObject({
      onHand: 2 - one.lines[0]!.quantity,
      reserved: 0,
    });
    expect((await stockAt(platform, sku, two.locationId)).reserved).toBe(two.lines[0]!.quantity);
    await expectLedgerTrue(platform);
    await orderStatus(orderId, 'partially_shipped');

    expect((await platform.request('POST', `/erp/v1/fulfillments/${two.id}/ship`)).status).toBe(200);
    await orderStatus(orderId, 'shipped');
    for (const [locationId, total] of [
      [first, 2],
      [second, 2],
    ] as const) {
      const picked = fulfilments.find((each) => each.locationId === locationId)!.lines[0]!.quantity;
      expect(await stockAt(platform, sku, locationId)).toMatchObject({
        onHand: total - picked,
        reserved: 0,
        available: total - picked,
      });
    }
    const events = await eventually(async () => {
      const found = (await hubEvents(platform, 'erp.fulfillment.shipped')).filter(
        (event) => event.data.orderId === orderId,
      );
      return found.length === 2 ? found : null;
    });
    expect(events.map((event: { data: { orderShipped: boolean } }) => event.data.orderShipped)).toEqual([
      false,
      true,
    ]);
    const cancel = await platform.request('POST', `/commerce/v1/orders/${orderId}/cancel`, {
      reason: 'late',
    });
    expect([cancel.status, cancel.body.code]).toEqual([409, 'order_transition_invalid']);
  });

  it('cancelling an allocated order restores availability and its fulfilments cannot ship', async () => {
    const sku = await putProduct(platform);
    const warehouse = await putLocation(platform, 'warehouse');
    await receive(platform, sku, warehouse, 5);
    const orderId = await placeOrder(sku, 2);
    const [fulfilment] = await fulfilmentsOf(orderId, 1);
    await orderStatus(orderId, 'allocated');
    expect(await stockAt(platform, sku, warehouse)).toMatchObject({ onHand: 5, reserved: 2, available: 3 });

    const cancelled = await platform.request('POST', `/commerce/v1/orders/${orderId}/cancel`, {
      reason: 'customer asked',
    });
    expect([cancelled.status, cancelled.body.status]).toEqual([200, 'cancelled']);
    expect(await stockAt(platform, sku, warehouse)).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    const ship = await platform.request('POST', `/erp/v1/fulfillments/${fulfilment!.id}/ship`);
    expect([ship.status, ship.body.code]).toEqual([409, 'reservation_not_held']);
  });

  it('an order part of which shipped cannot be cancelled: nothing goes back on sale, nothing is refunded', async () => {
    const sku = await putProduct(platform);
    const [first, second] = [
      await putLocation(platform, 'warehouse'),
      await putLocation(platform, 'warehouse'),
    ];
    await receive(platform, sku, first, 2);
    await receive(platform, sku, second, 2);
    const orderId = await placeOrder(sku, 3);
    const fulfilments = await fulfilmentsOf(orderId, 2);
    await orderStatus(orderId, 'allocated');
    const [one, two] = fulfilments as [Fulfilment, Fulfilment];
    expect((await platform.request('POST', `/erp/v1/fulfillments/${one.id}/ship`)).status).toBe(200);
    const picked = one.lines[0]!.quantity;
    const before = await stockAt(platform, sku, one.locationId);
    await orderStatus(orderId, 'partially_shipped');

    const cancel = await platform.request('POST', `/commerce/v1/orders/${orderId}/cancel`, {
      reason: 'late',
    });
    expect([cancel.status, cancel.body.code]).toEqual([409, 'order_transition_invalid']);
    // ERP refuses on its own too: the units that left are out of stock already, and the rest stay held for
    // the paid order's other parcel.
    const order = (await platform.request('GET', `/commerce/v1/orders/${orderId}`)).body;
    const release = await platform.request('POST', `/erp/v1/reservations/${order.reservationId}/release`);
    expect([release.status, release.body.code]).toEqual([409, 'order_transition_invalid']);
    expect(order).toMatchObject({ status: 'partially_shipped', refunded: 0 });
    expect((await platform.request('GET', `/commerce/v1/orders/${orderId}/refunds`)).body.refunds).toEqual(
      [],
    );
    expect(await stockAt(platform, sku, one.locationId)).toMatchObject({ onHand: 2 - picked, reserved: 0 });
    expect(await stockAt(platform, sku, one.locationId)).toEqual(before);
    expect((await stockAt(platform, sku, two.locationId)).reserved).toBe(two.lines[0]!.quantity);

    expect((await platform.request('POST', `/erp/v1/fulfillments/${two.id}/ship`)).status).toBe(200);
    await orderStatus(orderId, 'shipped');
    expect(await stockAt(platform, sku, one.locationId)).toMatchObject({ onHand: 2 - picked, reserved: 0 });
    await expectLedgerTrue(platform);
  });

  it('a partly shipped order takes back units that left, and only those, while the rest still ships', async () => {
    const sku = await putProduct(platform);
    const [first, second] = [
      await putLocation(platform, 'warehouse'),
      await putLocation(platform, 'warehouse'),
    ];
    await receive(platform, sku, first, 2);
    await receive(platform, sku, second, 2);
    const orderId = await placeOrder(sku, 3);
    const [one, two] = (await fulfilmentsOf(orderId, 2)) as [Fulfilment, Fulfilment];
    expect((await platform.request('POST', `/erp/v1/fulfillments/${one.id}/ship`)).status).toBe(200);
    const order = await orderStatus(orderId, 'partially_shipped');
    const picked = one.lines[0]!.quantity;

    const over = await platform.request('POST', `/commerce/v1/orders/${orderId}/returns`, {
      lines: [{ sku, quantity: picked + 1, disposition: 'restock' }],
    });
    expect([over.status, over.body.code, over.body.lines]).toEqual([
      422,
      'return_exceeds_shipped',
      [{ sku, shipped: picked, returned: 0, requested: picked + 1 }],
    ]);
    const back = await platform.request('POST', `/commerce/v1/orders/${orderId}/returns`, {
      id: 'early-1',
      lines: [{ sku, quantity: 1, disposition: 'restock' }],
    });
    expect([back.status, back.body.refundAmount, back.body.refund.status]).toEqual([
      201,
      order.total / 3,
      'succeeded',
    ]);
    // Back on the shelf where it left from (the parcel's units left stock when it shipped).
    await eventually(
      async () => ((await stockAt(platform, sku, one.locationId)).onHand === 3 - picked ? true : null),
      20_000,
      'ERP restocks the returned unit',
    );

    expect((await platform.request('POST', `/erp/v1/fulfillments/${two.id}/ship`)).status).toBe(200);
    await orderStatus(orderId, 'shipped');
    expect(await stockAt(platform, sku, one.locationId)).toMatchObject({ onHand: 3 - picked, reserved: 0 });
    await expectLedgerTrue(platform);
  });

  it('a cancel meeting a hold ERP committed before commerce heard of it is refused and refunds nothing', async () => {
    const sku = await putProduct(platform);
    const warehouse = await putLocation(platform, 'warehouse');
    await receive(platform, sku, warehouse, 5);
    const orderId = await placeOrder(sku, 2);
    await fulfilmentsOf(orderId, 1);
    const order = await orderStatus(orderId, 'allocated');
    // What ERP does when the last fulfilment ships, without the event that would tell commerce: the order
    // still looks cancellable to commerce, as in a cancel racing the shipment.
    const commit = await platform.request('POST', `/erp/v1/reservations/${order.reservationId}/commit`);
    expect([commit.status, commit.body.status]).toEqual([200, 'committed']);

    const cancel = await platform.request('POST', `/commerce/v1/orders/${orderId}/cancel`, {
      reason: 'late',
    });
    expect([cancel.status, cancel.body.code]).toEqual([409, 'order_transition_invalid']);
    expect((await platform.request('GET', `/commerce/v1/orders/${orderId}`)).body).toMatchObject({
      status: 'allocated',
      refunded: 0,
    });
    expect((await platform.request('GET', `/commerce/v1/orders/${orderId}/refunds`)).body.refunds).toEqual(
      [],
    );
    expect(await stockAt(platform, sku, warehouse)).toMatchObject({ onHand: 3, reserved: 0 });
  });

  it('shipped → delivered through ERP; a return restocks and sets aside in ERP and refunds the shopper', async () => {
    const sku = await putProduct(platform);
    const warehouse = await putLocation(platform, 'warehouse');
    await receive(platform, sku, warehouse, 5);
    const orderId = await placeOrder(sku, 3);
    const [fulfilment] = await fulfilmentsOf(orderId, 1);
    const early = await platform.request('POST', `/erp/v1/fulfillments/${fulfilment!.id}/deliver`);
    expect([early.status, early.body.code]).toEqual([409, 'fulfilment_not_shipped']);
    await platform.request('POST', `/erp/v1/fulfillments/${fulfilment!.id}/ship`);
    const delivered = await platform.request('POST', `/erp/v1/fulfillments/${fulfilment!.id}/deliver`);
    expect([delivered.status, delivered.body.status]).toEqual([200, 'delivered']);
    expect(
      (await platform.request('POST', `/erp/v1/fulfillments/${fulfilment!.id}/deliver`)).body.version,
    ).toBe(delivered.body.version);
    const order = await orderStatus(orderId, 'delivered');
    expect(await stockAt(platform, sku, warehouse)).toMatchObject({ onHand: 2, reserved: 0, damaged: 0 });

    const nowhere = await platform.request('POST', `/commerce/v1/orders/${orderId}/returns`, {
      locationId: 'nowhere',
      lines: [{ sku, quantity: 1, disposition: 'restock' }],
    });
    expect([nowhere.status, nowhere.body.code]).toEqual([422, 'unknown_location']);
    const back = await platform.request('POST', `/commerce/v1/orders/${orderId}/returns`, {
      id: 'back-1',
      lines: [
        { sku, quantity: 1, disposition: 'restock' },
        { sku, quantity: 1, disposition: 'damaged' },
      ],
    });
    expect(back.status).toBe(201);
    expect(back.body).toMatchObject({ refundAmount: (order.total / 3) * 2, refund: { status: 'succeeded' } });
    await eventually(
      async () => {
        const stock = await stockAt(platform, sku, warehouse);
        return stock.onHand === 3 && stock.damaged === 1 ? stock : null;
      },
      20_000,
      'ERP books the return by disposition at the shipping warehouse',
    );
    const over = await platform.request('POST', `/commerce/v1/orders/${orderId}/returns`, {
      lines: [{ sku, quantity: 2, disposition: 'restock' }],
    });
    expect([over.status, over.body.code]).toEqual([422, 'return_exceeds_shipped']);
    const rest = await platform.request('POST', `/commerce/v1/orders/${orderId}/refunds`, {
      id: 'rest',
      amount: order.total - back.body.refundAmount,
      reason: 'goodwill',
    });
    expect(rest.status).toBe(201);
    expect((await platform.request('GET', `/commerce/v1/orders/${orderId}`)).body).toMatchObject({
      status: 'refunded',
      refunded: order.total,
    });
  });

  it('a backorderable SKU sold beyond stock: 2 allocated, 3 backordered; receiving 3 allocates and ships all', async () => {
    const sku = await putProduct(platform, { backorderable: true });
    const warehouse = await putLocation(platform, 'warehouse');
    await receive(platform, sku, warehouse, 2);
    const orderId = await placeOrder(sku, 5);

    const [first] = await fulfilmentsOf(orderId, 1);
    expect(first).toMatchObject({ locationId: warehouse, lines: [{ sku, quantity: 2 }] });
    const backordered = await eventually(
      async () => {
        const order = (await platform.request('GET', `/commerce/v1/orders/${orderId}`)).body;
        return order.status === 'allocated' && order.lines[0].backordered === 3 ? order : null;
      },
      20_000,
      'commerce shows 3 units backordered',
    );
    // The queue waits at the channel's first location; stock arriving there goes to the queue first.
    const reservation = (await platform.request('GET', `/erp/v1/reservations/${backordered.reservationId}`))
      .body;
    const queuedAt = reservation.lines[0].backordered[0].locationId as string;
    expect(reservation.lines[0].backordered).toEqual([{ sku, locationId: queuedAt, quantity: 3 }]);

    // Shipping what is there does not finish the order while units wait.
    expect((await platform.request('POST', `/erp/v1/fulfillments/${first!.id}/ship`)).status).toBe(200);
    await receive(platform, sku, queuedAt, 3);
    const both = await fulfilmentsOf(orderId, 2);
    const second = both.find((fulfilment) => fulfilment.id !== first!.id)!;
    expect(second).toMatchObject({
      locationId: queuedAt,
      status: 'allocated',
      lines: [{ sku, quantity: 3 }],
    });
    await eventually(
      async () => {
        const order = (await platform.request('GET', `/commerce/v1/orders/${orderId}`)).body;
        return order.lines[0].backordered === 0 ? order : null;
      },
      20_000,
      'commerce shows the line allocated',
    );
    expect((await platform.request('GET', `/commerce/v1/orders/${orderId}`)).body.status).toBe(
      'partially_shipped',
    );

    expect((await platform.request('POST', `/erp/v1/fulfillments/${second.id}/ship`)).body.status).toBe(
      'shipped',
    );
    await orderStatus(orderId, 'shipped');
    expect(await stockAt(platform, sku, warehouse)).toMatchObject({ onHand: 0, reserved: 0 });
    expect(await stockAt(platform, sku, queuedAt)).toMatchObject({ onHand: 0, reserved: 0 });
    await expectLedgerTrue(platform);
  });

  it('refuses unknown fulfilments and bad queries with stable codes', async () => {
    const missing = await platform.request('POST', '/erp/v1/fulfillments/no-such-order:wh/ship');
    expect([missing.status, missing.body.code]).toEqual([404, 'fulfilment_not_found']);
    const noOrder = await platform.request('GET', '/erp/v1/fulfillments');
    expect([noOrder.status, noOrder.body.code]).toEqual([400, 'validation_failed']);
  });
});
