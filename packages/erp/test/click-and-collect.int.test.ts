import { describe, expect, it } from 'vitest';
import {
  FulfillmentCancelledV1,
  FulfillmentCreatedV1,
  FulfillmentDeliveredV1,
  FulfillmentReadyForPickupV1,
  FulfillmentShippedV1,
  type ShippingAddress,
} from '@tillstream/contracts';
import { harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { AT_S1, onlineOrderRig, TAX } from './online-orders.rig.js';
import { pgUrl, S1, startedErp, W1 } from './started-erp.js';

const HOME: ShippingAddress = { ...AT_S1, line1: 'Prinsengracht 263', postalCode: '1016 GV' };

/**
 * Click and collect, ERP's side: a collection is made ready at its store, waits for its shopper with its units
 * reserved, and leaves stock when it is handed over (shipped and delivered at once).
 */
describe.each(harnessDialects(pgUrl))('ERP hands click-and-collect orders over on %s', (dialect) => {
  const { erp, ok, call, receive } = startedErp(dialect, {
    holdSweepIntervalMs: 60_000,
    locations: [W1, S1],
  });

  const { product, fulfilmentsOf, eventsOf, ...orders } = onlineOrderRig({ erp, ok });
  const units = async (sku: string, locationId: string) => {
    const row = ((await ok('GET', `/inventory/${sku}`)).locations as any[]).find(
      (each) => each.locationId === locationId,
    );
    return { onHand: row?.onHand, reserved: row?.reserved };
  };
  const problem = async (url: string) => {
    const response = await call('POST', url);
    return [response.status, (response.body as any).code];
  };

  /**
   * A checkout hold and the `commerce.order.placed` that follows it: collected at S1 (every line held there,
   * as checkout does for a collection), or delivered home from wherever the web channel holds it.
   */
  const placeOrder = async (
    sku: string,
    quantity: number,
    how: 'collect' | 'deliver' = 'collect',
    store = 'S1',
  ) => {
    if (how === 'collect') return orders.placeCollection(sku, quantity, store);
    const shipping = { methodId: 'standard', name: 'Standard delivery', amount: 0, tax: TAX, address: HOME };
    const placed = await orders.placeOrder(sku, quantity, { shipping });
    return { ...placed, fulfilmentId: `${placed.orderId}:W1` };
  };

  it('makes a collection ready with its units still reserved, once, and tells whether the order is ready', async () => {
    const sku = await product('READY');
    await receive(sku, 'S1', 3);
    const { orderId, fulfilmentId } = await placeOrder(sku, 2);

    const [created] = await fulfilmentsOf(orderId);
    expect(created).toMatchObject({ id: fulfilmentId, status: 'allocated', pickup: true, readyAt: null });
    expect(await eventsOf(FulfillmentCreatedV1, orderId)).toEqual([
      expect.objectContaining({ fulfilmentId, pickup: true, shipTo: AT_S1 }),
    ]);

    const now = erp().clock.now().toISOString();
    const ready = await ok('POST', `/fulfillments/${fulfilmentId}/ready`);
    expect(ready).toMatchObject({
      status: 'ready_for_pickup',
      version: 2,
      readyAt: now,
      shippedAt: null,
      pickup: true,
      shipTo: AT_S1,
      shippingMethod: { id: 'collect-s1', name: 'Collect at Store 1' },
    });
    expect(await fulfilmentsOf(orderId)).toEqual([ready]);
    expect(await eventsOf(FulfillmentReadyForPickupV1, orderId)).toEqual([
      expect.objectContaining({
        fulfilmentId,
        version: 2,
        status: 'ready_for_pickup',
        locationId: 'S1',
        lines: [{ sku, quantity: 2 }],
        shipTo: AT_S1,
        pickup: true,
        orderReady: true,
      }),
    ]);
    expect(await units(sku, 'S1')).toEqual({ onHand: 3, reserved: 2 });

    // Again: nothing changes, nothing is published.
    expect(await ok('POST', `/fulfillments/${fulfilmentId}/ready`)).toEqual(ready);
    expect(await eventsOf(FulfillmentReadyForPickupV1, orderId)).toHaveLength(1);
  });

  it('hands over a ready collection: its units leave the store, shipped and delivered in one go, once', async () => {
    const sku = await product('COLLECT');
    await receive(sku, 'S1', 3);
    const { orderId, reservationId, fulfilmentId } = await placeOrder(sku, 2);
    await ok('POST', `/fulfillments/${fulfilmentId}/ready`);

    erp().clock.advance(3_600_000);
    const now = erp().clock.now().toISOString();
    const collected = await ok('POST', `/fulfillments/${fulfilmentId}/collect`);
    expect(collected).toMatchObject({ status: 'delivered', version: 4, shippedAt: now, deliveredAt: now });
    expect(collected.readyAt).not.toBeNull();
    expect(await units(sku, 'S1')).toEqual({ onHand: 1, reserved: 0 });
    expect((await ok('GET', `/reservations/${reservationId}`)).status).toBe('committed');
    expect(await ok('GET', '/inventory/ledger-check')).toMatchObject({ ok: true });
    expect(await eventsOf(FulfillmentShippedV1, orderId)).toEqual([
      expect.objectContaining({ fulfilmentId, version: 3, pickup: true, shipTo: AT_S1, orderShipped: true }),
    ]);
    const delivered = await eventsOf(FulfillmentDeliveredV1, orderId);
    expect(delivered).toEqual([expect.objectContaining({ fulfilmentId, version: 4, orderDelivered: true })]);
    expect(delivered[0]).not.toHaveProperty('shipTo');

    // Again, or made ready after the fact: answered as it is, nothing moves or is published.
    expect(await ok('POST', `/fulfillments/${fulfilmentId}/collect`)).toEqual(collected);
    expect(await ok('POST', `/fulfillments/${fulfilmentId}/ready`)).toEqual(collected);
    expect(await units(sku, 'S1')).toEqual({ onHand: 1, reserved: 0 });
    expect(await eventsOf(FulfillmentShippedV1, orderId)).toHaveLength(1);
    expect(await eventsOf(FulfillmentDeliveredV1, orderId)).toHaveLength(1);
    expect(await eventsOf(FulfillmentReadyForPickupV1, orderId)).toHaveLength(1);
  });

  it('hands over a collection the store never made ready', async () => {
    const sku = await product('WALKIN');
    await receive(sku, 'S1', 1);
    const { orderId, reservationId, fulfilmentId } = await placeOrder(sku, 1);

    const collected = await ok('POST', `/fulfillments/${fulfilmentId}/collect`);
    expect(collected).toMatchObject({ status: 'delivered', version: 3, readyAt: null, pickup: true });
    expect(collected.shippedAt).toBe(collected.deliveredAt);
    expect(await units(sku, 'S1')).toEqual({ onHand: 0, reserved: 0 });
    expect((await ok('GET', `/reservations/${reservationId}`)).status).toBe('committed');
    expect((await eventsOf(FulfillmentShippedV1, orderId)).map((data) => data.orderShipped)).toEqual([true]);
    expect((await eventsOf(FulfillmentDeliveredV1, orderId)).map((data) => data.orderDelivered)).toEqual([
      true,
    ]);
    expect(await eventsOf(FulfillmentReadyForPickupV1, orderId)).toEqual([]);
  });

  it('lets a store ship and deliver a ready collection separately, and collect then only delivers', async () => {
    const sku = await product('SPLITSTEP');
    await receive(sku, 'S1', 1);
    const { orderId, fulfilmentId } = await placeOrder(sku, 1);
    await ok('POST', `/fulfillments/${fulfilmentId}/ready`);

    const shipped = await ok('POST', `/fulfillments/${fulfilmentId}/ship`);
    expect(shipped).toMatchObject({ status: 'shipped', version: 3, pickup: true, deliveredAt: null });
    expect(await units(sku, 'S1')).toEqual({ onHand: 0, reserved: 0 });

    erp().clock.advance(60_000);
    const collected = await ok('POST', `/fulfillments/${fulfilmentId}/collect`);
    expect(collected).toMatchObject({ status: 'delivered', version: 4, shippedAt: shipped.shippedAt });
    expect(collected.deliveredAt).not.toBe(shipped.shippedAt);
    expect(await eventsOf(FulfillmentShippedV1, orderId)).toHaveLength(1);
    expect((await eventsOf(FulfillmentDeliveredV1, orderId)).map((data) => data.orderDelivered)).toEqual([
      true,
    ]);
  });

  it('refuses to make ready or hand over an order that is delivered, and says pickup false for it', async () => {
    const sku = await product('HOME');
    await receive(sku, 'W1', 1);
    const { orderId } = await placeOrder(sku, 1, 'deliver');
    const [fulfilment] = await fulfilmentsOf(orderId);
    expect(fulfilment).toMatchObject({ locationId: 'W1', pickup: false, readyAt: null });
    expect(await eventsOf(FulfillmentCreatedV1, orderId)).toEqual([
      expect.objectContaining({ pickup: false, shipTo: HOME }),
    ]);

    expect(await problem(`/fulfillments/${fulfilment.id}/ready`)).toEqual([409, 'fulfilment_not_pickup']);
    expect(await problem(`/fulfillments/${fulfilment.id}/collect`)).toEqual([409, 'fulfilment_not_pickup']);
    expect(await fulfilmentsOf(orderId)).toEqual([fulfilment]);
    expect(await units(sku, 'W1')).toEqual({ onHand: 1, reserved: 1 });

    await ok('POST', `/fulfillments/${fulfilment.id}/ship`);
    expect(await eventsOf(FulfillmentShippedV1, orderId)).toEqual([
      expect.objectContaining({ pickup: false }),
    ]);
  });

  it('never makes ready or hands over a cancelled order, and lets an uncollected one be cancelled', async () => {
    const sku = await product('CANCEL');
    await receive(sku, 'S1', 2);
    const first = await placeOrder(sku, 1);
    await ok('POST', `/reservations/${first.reservationId}/release`);
    expect(await problem(`/fulfillments/${first.fulfilmentId}/ready`)).toEqual([409, 'reservation_not_held']);
    expect(await problem(`/fulfillments/${first.fulfilmentId}/collect`)).toEqual([
      409,
      'reservation_not_held',
    ]);
    const now = erp().clock.now().toISOString();
    expect((await fulfilmentsOf(first.orderId))[0]).toMatchObject({
      status: 'cancelled',
      version: 2,
      cancelledAt: now,
    });
    expect(await eventsOf(FulfillmentCancelledV1, first.orderId)).toEqual([
      expect.objectContaining({ fulfilmentId: first.fulfilmentId, status: 'cancelled', version: 2 }),
    ]);

    // Made ready, never collected: the merchant cancels it and its units are the store's again.
    const second = await placeOrder(sku, 1);
    await ok('POST', `/fulfillments/${second.fulfilmentId}/ready`);
    expect(await units(sku, 'S1')).toEqual({ onHand: 2, reserved: 1 });
    expect((await ok('POST', `/reservations/${second.reservationId}/release`)).status).toBe('released');
    expect(await units(sku, 'S1')).toEqual({ onHand: 2, reserved: 0 });
    expect(await problem(`/fulfillments/${second.fulfilmentId}/collect`)).toEqual([
      409,
      'reservation_not_held',
    ]);
    expect(await units(sku, 'S1')).toEqual({ onHand: 2, reserved: 0 });
    expect(await eventsOf(FulfillmentShippedV1, second.orderId)).toEqual([]);
    // Released again: nothing more is cancelled or published.
    await ok('POST', `/reservations/${second.reservationId}/release`);
    expect(await eventsOf(FulfillmentCancelledV1, second.orderId)).toHaveLength(1);
  });

  it('gives a backordered collection’s later fulfilment the pickup too, and the order is ready only with it', async () => {
    const sku = await product('LATER', true);
    await receive(sku, 'S1', 1);
    const { orderId, reservationId, fulfilmentId } = await placeOrder(sku, 2);
    expect((await fulfilmentsOf(orderId)).map((each) => each.lines)).toEqual([[{ sku, quantity: 1 }]]);

    // One unit waits for stock: the first part is ready, not the order.
    await ok('POST', `/fulfillments/${fulfilmentId}/ready`);
    await receive(sku, 'S1', 1);
    const [, later] = await fulfilmentsOf(orderId);
    expect(later).toMatchObject({
      id: `${orderId}:S1:2`,
      locationId: 'S1',
      status: 'allocated',
      pickup: true,
      shipTo: AT_S1,
    });
    expect((await eventsOf(FulfillmentCreatedV1, orderId)).map((data) => data.pickup)).toEqual([true, true]);

    // The first handed over while the other is still to be made ready: neither the order shipped nor ready.
    await ok('POST', `/fulfillments/${fulfilmentId}/collect`);
    await ok('POST', `/fulfillments/${later.id}/ready`);
    expect((await eventsOf(FulfillmentReadyForPickupV1, orderId)).map((data) => data.orderReady)).toEqual([
      false,
      true,
    ]);
    await ok('POST', `/fulfillments/${later.id}/collect`);
    expect((await eventsOf(FulfillmentShippedV1, orderId)).map((data) => data.orderShipped)).toEqual([
      false,
      true,
    ]);
    expect((await eventsOf(FulfillmentDeliveredV1, orderId)).map((data) => data.orderDelivered)).toEqual([
      false,
      true,
    ]);
    expect((await ok('GET', `/reservations/${reservationId}`)).status).toBe('committed');
    expect(await units(sku, 'S1')).toEqual({ onHand: 0, reserved: 0 });
    expect(await ok('GET', '/inventory/ledger-check')).toMatchObject({ ok: true });
  });

  it('says orderReady false while another fulfilment of the order is still allocated', async () => {
    const sku = await product('TWO', true);
    await receive(sku, 'S1', 1);
    const { orderId, fulfilmentId } = await placeOrder(sku, 2);
    await receive(sku, 'S1', 1);
    const [, later] = await fulfilmentsOf(orderId);
    await ok('POST', `/fulfillments/${fulfilmentId}/ready`);
    await ok('POST', `/fulfillments/${later.id}/ready`);
    expect((await eventsOf(FulfillmentReadyForPickupV1, orderId)).map((data) => data.orderReady)).toEqual([
      false,
      true,
    ]);
  });

  it('answers an unknown fulfilment with 404 fulfilment_not_found', async () => {
    for (const action of ['ready', 'collect'])
      expect(await problem(`/fulfillments/no-such-order:S1/${action}`)).toEqual([
        404,
        'fulfilment_not_found',
      ]);
  });

  it('lists a store’s collections to prepare and hand over, oldest first, page by page', async () => {
    const store = uniqueName('store');
    await ok('PUT', `/locations/${store}`, { name: 'Queue store', kind: 'store' });
    const sku = await product('QUEUE');
    await receive(sku, store, 10);
    const placed: string[] = [];
    const reservations = new Map<string, string>();
    const reservationOf = (fulfilmentId: string) => reservations.get(fulfilmentId)!;
    for (let order = 0; order < 3; order += 1) {
      const { fulfilmentId, reservationId } = await placeOrder(sku, 1, 'collect', store);
      placed.push(fulfilmentId);
      reservations.set(fulfilmentId, reservationId);
      erp().clock.advance(1000);
    }
    const queue = async (query: string) => ok('GET', `/fulfillments?locationId=${store}${query}`);
    const ids = (page: { fulfillments: Array<{ id: string }> }) => page.fulfillments.map((each) => each.id);

    expect(ids(await queue(''))).toEqual(placed);
    const first = await queue('&limit=2');
    expect([ids(first), first.next]).toEqual([placed.slice(0, 2), placed[1]]);
    const second = await queue(`&limit=2&after=${encodeURIComponent(first.next)}`);
    expect([ids(second), second.next]).toEqual([placed.slice(2), null]);

    await ok('POST', `/fulfillments/${placed[0]}/ready`);
    await ok('POST', `/fulfillments/${placed[1]}/collect`);
    expect(ids(await queue('&status=ready_for_pickup'))).toEqual([placed[0]]);
    expect(ids(await queue('&status=allocated'))).toEqual([placed[2]]);
    expect(ids(await queue(''))).toEqual([placed[0], placed[2]]);
    expect(ids(await queue('&status=delivered'))).toEqual([placed[1]]);
    expect((await queue('&status=shipped')).fulfillments).toEqual([]);

    // The shopper never came for the ready one: cancelled, it leaves the open queue for the cancelled one.
    await ok('POST', `/reservations/${reservationOf(placed[0]!)}/release`);
    expect(ids(await queue(''))).toEqual([placed[2]]);
    expect(ids(await queue('&status=cancelled'))).toEqual([placed[0]]);
  });

  it.each([
    ['neither an order nor a location', '', 'validation_failed'],
    ['both an order and a location', '?orderId=o-1&locationId=S1', 'validation_failed'],
    ['an order with a status', '?orderId=o-1&status=open', 'validation_failed'],
    ['an order with a limit', '?orderId=o-1&limit=5', 'validation_failed'],
    ['an unknown status', '?locationId=S1&status=picked', 'validation_failed'],
    ['a limit of 0', '?locationId=S1&limit=0', 'validation_failed'],
    ['a limit past 200', '?locationId=S1&limit=201', 'validation_failed'],
    ['a cursor naming no fulfilment', '?locationId=S1&after=nothing-here', 'invalid_cursor'],
  ])('refuses a list of %s with 400 %s', async (_what, query, code) => {
    const response = await call('GET', `/fulfillments${query}`);
    expect([response.status, (response.body as { code?: string }).code]).toEqual([400, code]);
  });
});
