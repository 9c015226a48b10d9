/**
 * Click and collect on the whole platform: ERP defines a collection at a store, the storefront offers it and
 * holds the order on that store's shelves (not the warehouse's), the store makes it ready and hands it over,
 * and the order, the store's stock and finance follow; a collection nobody came for goes back on the shelf.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@tillstream/kernel/testing';
import { ENGINES } from '../support/engines.js';
import { hubEvents } from '../support/fixtures.js';
import { eventually, type TestPlatform } from '../support/platform.js';
import { ok, startPricingPlatform } from '../support/pricing.js';
import { checkOut, type WebShop } from '../support/delivery.js';
import { COLLECTOR, KALVERSTRAAT, seedCollectionShop, type CollectionShop } from '../support/collections.js';
import { fulfilmentsOf } from '../support/fulfilments.js';

describe.each(ENGINES)('click and collect (%s)', (engine) => {
  let platform: TestPlatform;
  let shop: WebShop;
  let storeId: string;
  let collectId: string;
  let stockAt: CollectionShop['stockAt'];
  let orderStatus: CollectionShop['orderStatus'];
  let collectionCart: CollectionShop['collectionCart'];

  beforeAll(async () => {
    platform = await startPricingPlatform(engine);
    ({ shop, storeId, collectId, stockAt, orderStatus, collectionCart } = await seedCollectionShop(platform));
  }, 120_000);
  afterAll(async () => platform?.stop());

  it('refuses a collection method that names destinations', async () => {
    const refused = await platform.request('PUT', `/erp/v1/shipping-methods/${uniqueName('collect')}`, {
      name: 'Collect, NL only',
      countries: ['NL'],
      pickup: { locationId: storeId, address: KALVERSTRAAT },
      rates: [{ currency: 'EUR', amount: 0 }],
      taxCategory: 'standard',
    });
    expect([refused.status, refused.body.code]).toEqual([422, 'shipping_pickup_has_destinations']);
  });

  it('tells a shopper where a product can be collected, and how many the store has', async () => {
    const pickup = async (query = '') =>
      platform.request('GET', `/commerce/v1/products/${shop.sku}/pickup${query}`);
    const ours = (body: { points: Array<{ methodId: string }> }) =>
      body.points.find((point) => point.methodId === collectId);
    expect(ours(ok(await pickup(), 'pickup'))).toEqual({
      methodId: collectId,
      name: 'Collect at Kalverstraat',
      pickup: { locationId: storeId, address: KALVERSTRAAT },
      available: 3,
      inStock: true,
    });
    // The warehouse's 5 do not count: the store hands over only what its shelves hold.
    expect(ours(ok(await pickup('?quantity=4'), 'four'))).toMatchObject({ available: 3, inStock: false });
    const unknown = await platform.request('GET', '/commerce/v1/products/NO-SUCH-SKU/pickup');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'product_not_found']);
    for (const bad of ['?quantity=0', '?quantity=1.5', '?quantity=two', '?currency=euro', '?colour=red']) {
      const refused = await pickup(bad);
      expect([bad, refused.status, refused.body.code]).toEqual([bad, 400, 'validation_failed']);
    }
  });

  it(
    'holds the order at the store, makes it ready, hands it over, and books it',
    { timeout: 90_000 },
    async () => {
      const cartId = await collectionCart(2);
      const options = (
        await platform.request('GET', `/commerce/v1/carts/${cartId}/shipping-options?country=NL`)
      ).body.options as Array<{ methodId: string; pickup?: object }>;
      expect(options.find((option) => option.methodId === collectId)).toMatchObject({
        total: 0,
        pickup: { locationId: storeId, address: KALVERSTRAAT },
      });
      const order = await checkOut(platform, cartId, 'anna@example.com');
      expect(order).toMatchObject({ total: 3000, shipping: { amount: 0, pickup: { locationId: storeId } } });
      // On the store's shelves, not the warehouse's.
      expect(await stockAt(storeId)).toEqual({ onHand: 3, reserved: 2, available: 1 });
      expect(await stockAt(shop.warehouseId)).toMatchObject({ reserved: 0, available: 5 });

      const shipTo = { ...COLLECTOR, ...KALVERSTRAAT };
      const [fulfilment] = await fulfilmentsOf(platform, order.id);
      expect(fulfilment).toMatchObject({ locationId: storeId, status: 'allocated', pickup: true, shipTo });
      // The store finds it in its queue of collections to prepare.
      const queue = ok(await platform.request('GET', `/erp/v1/fulfillments?locationId=${storeId}`), 'queue');
      expect(queue).toEqual({ fulfillments: [fulfilment], next: null });

      const ready = ok(
        await platform.request('POST', `/erp/v1/fulfillments/${fulfilment.id}/ready`),
        'ready',
      );
      expect(ready).toMatchObject({ status: 'ready_for_pickup', readyAt: expect.any(String) });
      await orderStatus(order.id, 'ready_for_pickup');
      const announced = await eventually(
        async () =>
          (await hubEvents(platform, 'erp.fulfillment.ready_for_pickup')).find(
            (event) => event.data.orderId === order.id,
          ) ?? null,
        20_000,
        'the hub serves the ready event',
      );
      expect(announced.data).toMatchObject({ orderReady: true, pickup: true, shipTo, locationId: storeId });

      const collected = ok(
        await platform.request('POST', `/erp/v1/fulfillments/${fulfilment.id}/collect`),
        'collect',
      );
      expect(collected).toMatchObject({ status: 'delivered' });
      expect(collected.shippedAt).toBe(collected.deliveredAt);
      expect(await stockAt(storeId)).toEqual({ onHand: 1, reserved: 0, available: 1 });
      await orderStatus(order.id, 'delivered');
      const booked = await eventually(
        async () => {
          const { body } = await platform.request('GET', `/erp/v1/finance/online-orders/${order.id}`);
          return body?.shipments?.length === 1 ? body : null;
        },
        30_000,
        'finance recognises the collected order',
      );
      // 30.00 paid, 24.79 of it revenue net of the 21 % VAT inside: all of it earned at the counter.
      expect(booked).toMatchObject({
        goods: { deposit: 2479, recognised: 2479, left: 0 },
        items: [{ sku: shop.sku, ordered: 2, shipped: 2 }],
        shipments: [{ fulfilmentId: fulfilment.id, orderShipped: true }],
        left: 0,
      });
      // Handing it over again changes nothing.
      expect(
        ok(await platform.request('POST', `/erp/v1/fulfillments/${fulfilment.id}/collect`), 'again'),
      ).toMatchObject({ status: 'delivered', version: collected.version });
    },
  );

  it(
    'refuses a collection the store cannot fill, though the warehouse could',
    { timeout: 60_000 },
    async () => {
      const cartId = await collectionCart(2);
      const refused = await platform.request('POST', `/commerce/v1/carts/${cartId}/checkout`, {
        email: 'anna@example.com',
        payment: { method: 'test' },
      });
      expect([refused.status, refused.body.code]).toEqual([409, 'insufficient_stock']);
      expect(await stockAt(storeId)).toEqual({ onHand: 1, reserved: 0, available: 1 });
    },
  );

  it(
    'puts a collection nobody came for back on the shelf when it is cancelled',
    { timeout: 60_000 },
    async () => {
      const order = await checkOut(platform, await collectionCart(1), 'anna@example.com');
      const [fulfilment] = await fulfilmentsOf(platform, order.id);
      ok(await platform.request('POST', `/erp/v1/fulfillments/${fulfilment.id}/ready`), 'ready');
      await orderStatus(order.id, 'ready_for_pickup');
      expect(await stockAt(storeId)).toMatchObject({ reserved: 1, available: 0 });

      const cancelled = ok(
        await platform.request('POST', `/commerce/v1/orders/${order.id}/cancel`, { reason: 'not collected' }),
        'cancel',
      );
      expect(cancelled).toMatchObject({
        status: 'cancelled',
        refunded: order.total,
        cancellation: { reason: 'not collected', at: expect.any(String) },
      });
      // Refunded in full afterwards, the order still says why it was cancelled.
      expect((await platform.request('GET', `/commerce/v1/orders/${order.id}`)).body.cancellation).toEqual(
        cancelled.cancellation,
      );
      expect(await stockAt(storeId)).toEqual({ onHand: 1, reserved: 0, available: 1 });
      const late = await platform.request('POST', `/erp/v1/fulfillments/${fulfilment.id}/collect`);
      expect([late.status, late.body.code]).toEqual([409, 'reservation_not_held']);
      // Off the store's queue of collections, onto the list of what to put back on the shelf.
      const queue = async (status: string) =>
        ok(
          await platform.request('GET', `/erp/v1/fulfillments?locationId=${storeId}&status=${status}`),
          status,
        ).fulfillments as Array<{ id: string; status: string }>;
      expect(await queue('open')).toEqual([]);
      expect(await queue('cancelled')).toEqual([
        expect.objectContaining({ id: fulfilment.id, status: 'cancelled' }),
      ]);
    },
  );
});
