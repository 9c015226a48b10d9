import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { hubEvents } from '../support/fixtures.js';
import { putLocation, putProduct, receive, stockAt } from '../support/inventory.js';

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
    // Still held while part of the order waits; the order is not shipped yet.
    expect((await stockAt(platform, sku, one.locationId)).reserved).toBe(one.lines[0]!.quantity);
    expect((await platform.request('GET', `/commerce/v1/orders/${orderId}`)).body.status).toBe('allocated');

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

  it('refuses unknown fulfilments and bad queries with stable codes', async () => {
    const missing = await platform.request('POST', '/erp/v1/fulfillments/no-such-order:wh/ship');
    expect([missing.status, missing.body.code]).toEqual([404, 'fulfilment_not_found']);
    const noOrder = await platform.request('GET', '/erp/v1/fulfillments');
    expect([noOrder.status, noOrder.body.code]).toEqual([400, 'validation_failed']);
  });
});
