/** Click and collect in the storefront: choosing a collection, holding at its store, and the order's status. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import {
  FulfillmentCreatedV1,
  FulfillmentDeliveredV1,
  FulfillmentReadyForPickupV1,
  FulfillmentShippedV1,
  OrderPlacedV1,
  type ShippingMethod,
} from '@tillstream/contracts';
import {
  createContextHarness,
  foreignEvent,
  harnessDialects,
  type ContextHarness,
} from '@tillstream/kernel/testing';
import type { ContextDeps } from '@tillstream/kernel';
import { createCommerce } from '../src/index.js';
import { createCollectionSweeper } from '../src/orders/collection.sweeper.js';
import { createOrderCommands } from '../src/orders/order.commands.js';
import { createRefunds } from '../src/orders/refund.commands.js';
import { testPaymentProvider } from '../src/checkout/payment.port.js';
import { fakeErp } from './fake-erp.js';
import { storefrontCall } from './storefront-call.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

const STANDARD: ShippingMethod = {
  id: 'standard',
  version: 1,
  name: 'Standard, 2–3 days',
  countries: ['NL'],
  rates: [{ currency: 'EUR', amount: 495 }],
  taxCategory: 'shipping',
};
const KALVERSTRAAT = {
  locationId: 'store-amsterdam',
  address: { line1: 'Kalverstraat 92', postalCode: '1012 PH', city: 'Amsterdam', country: 'NL' },
};
/** Free collection at the Amsterdam store, for goods a shopper can carry (up to 20 kg). */
const COLLECT: ShippingMethod = {
  id: 'collect-ams',
  version: 1,
  name: 'Collect at Kalverstraat, Amsterdam',
  pickup: KALVERSTRAAT,
  rates: [{ currency: 'EUR', amount: 0, maxGrams: 20_000 }],
  taxCategory: 'shipping',
};
const HOME = { name: 'Ann Smit', line1: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' };
const ANN = { name: 'Ann Smit', phone: '+31 6 1234 5678' };
const DAY_MS = 24 * 3600 * 1000;

describe.each(harnessDialects(pgUrl))('click and collect in carts, checkout and orders on %s', (dialect) => {
  let commerce: ContextHarness;
  /** What the harness built commerce with, for a collection sweeper of the test's own. */
  let deps: ContextDeps;
  const erp = fakeErp({ A: 100 }, 1000, { shippingMethods: [STANDARD, COLLECT] });

  const call = storefrontCall(() => commerce);
  const cartWith = async (quantity: number) => {
    const cart = await call('POST', '/commerce/v1/carts', {});
    await call('POST', `/commerce/v1/carts/${cart.body.id}/lines`, { sku: 'A', quantity });
    return cart.body.id as string;
  };
  const choose = (cartId: string, choice: object) =>
    call('PUT', `/commerce/v1/carts/${cartId}/shipping`, choice);
  const collectedOrder = async () => {
    const cartId = await cartWith(2);
    expect((await choose(cartId, { methodId: 'collect-ams', collector: ANN })).status).toBe(200);
    const placed = await call('POST', `/commerce/v1/carts/${cartId}/checkout`, {
      email: 'ann@example.com',
      payment: { method: 'test' },
    });
    expect(placed.status).toBe(201);
    return placed.body as { id: string; reservationId: string; total: number };
  };
  const fulfilmentEvent = (type: string, orderId: string, version: number, extra: Record<string, unknown>) =>
    commerce.deliver(
      'erp',
      foreignEvent('erp', type, `fulfilment/${orderId}:store-amsterdam`, version, {
        fulfilmentId: `${orderId}:store-amsterdam`,
        orderId,
        reservationId: 'r',
        locationId: 'store-amsterdam',
        version,
        lines: [{ sku: 'A', quantity: 2 }],
        occurredAt: '2026-12-05T09:00:00.000Z',
        ...extra,
      }),
    );
  const statusOf = async (orderId: string) =>
    (await call('GET', `/commerce/v1/orders/${orderId}`)).body.status;

  beforeAll(async () => {
    commerce = await createContextHarness(
      (built) => {
        deps = built;
        return createCommerce({ ...built, cacheMaxAgeSeconds: 5, erp: erp.port });
      },
      { dialect, pgUrl, name: 'commerce' },
    );
    erp.state.now = () => commerce.clock.now();
  });
  afterAll(async () => commerce?.close());

  it('offers collection to shoppers anywhere, naming where they collect', async () => {
    const cartId = await cartWith(1);
    const nl = await call('GET', `/commerce/v1/carts/${cartId}/shipping-options?country=NL`);
    expect(nl.body.options.map((option: { methodId: string }) => option.methodId)).toEqual([
      'collect-ams',
      'standard',
    ]);
    expect(nl.body.options[0]).toMatchObject({ amount: 0, total: 0, pickup: KALVERSTRAAT });
    const de = await call('GET', `/commerce/v1/carts/${cartId}/shipping-options?country=DE`);
    expect(de.body.options.map((option: { methodId: string }) => option.methodId)).toEqual(['collect-ams']);
  });

  it('takes who collects, and sends the order to the collection point in their name', async () => {
    const cartId = await cartWith(1);
    const chosen = await choose(cartId, { methodId: 'collect-ams', collector: ANN });
    expect(chosen.status).toBe(200);
    expect(chosen.body.shipping).toEqual({
      methodId: 'collect-ams',
      address: { name: ANN.name, ...KALVERSTRAAT.address, phone: ANN.phone },
      pickupLocationId: 'store-amsterdam',
    });
    expect(chosen.body.quote.shipping).toMatchObject({
      methodId: 'collect-ams',
      total: 0,
      pickup: KALVERSTRAAT,
    });
    expect(chosen.body.quote.totals.total).toBe(1000);
    // Back to home delivery: the address is the shopper's again and nothing of the store is left.
    const home = await choose(cartId, { methodId: 'standard', address: HOME });
    expect(home.body.shipping).toEqual({ methodId: 'standard', address: HOME });
  });

  it.each([
    ['a collection without a collector', { methodId: 'collect-ams' }, 422, 'shipping_collector_required'],
    [
      'a collection with an address',
      { methodId: 'collect-ams', collector: ANN, address: HOME },
      422,
      'shipping_choice_invalid',
    ],
    ['a delivery without an address', { methodId: 'standard' }, 422, 'shipping_address_required'],
    [
      'a delivery with a collector',
      { methodId: 'standard', address: HOME, collector: ANN },
      422,
      'shipping_choice_invalid',
    ],
    ['an unknown method', { methodId: 'collect-nowhere', collector: ANN }, 422, 'shipping_method_unknown'],
    [
      'a collector without a name',
      { methodId: 'collect-ams', collector: { phone: '0612345678' } },
      400,
      'validation_failed',
    ],
    [
      'a collector with a street',
      { methodId: 'collect-ams', collector: { ...ANN, line1: 'Damrak 1' } },
      400,
      'validation_failed',
    ],
  ])('refuses %s, changing nothing', async (_what, choice, status, code) => {
    const cartId = await cartWith(1);
    const before = (await call('GET', `/commerce/v1/carts/${cartId}`)).body;
    const refused = await choose(cartId, choice);
    expect(refused.status).toBe(status);
    expect(refused.body.code).toBe(code);
    expect((await call('GET', `/commerce/v1/carts/${cartId}`)).body).toMatchObject({
      shipping: null,
      version: before.version,
    });
  });

  it('holds every line at the store, and the order and its event name the collection', async () => {
    const order = await collectedOrder();
    expect(erp.holds.get(order.reservationId)?.lines).toEqual([
      { sku: 'A', quantity: 2, locationId: 'store-amsterdam' },
    ]);
    const shipping = {
      methodId: 'collect-ams',
      name: 'Collect at Kalverstraat, Amsterdam',
      amount: 0,
      address: { name: ANN.name, ...KALVERSTRAAT.address, phone: ANN.phone },
      pickup: { locationId: 'store-amsterdam' },
    };
    expect((await call('GET', `/commerce/v1/orders/${order.id}`)).body).toMatchObject({
      total: 2000,
      shipping,
    });
    const event = (await commerce.published()).find(
      (each) => each.type === OrderPlacedV1.type && (each.data as { orderId: string }).orderId === order.id,
    )!;
    expect(Value.Check(OrderPlacedV1.dataSchema, event.data)).toBe(true);
    expect(event.data).toMatchObject({ shipping });
  });

  it('is ready for pickup once all of it waits at the store, and delivered once collected', async () => {
    const order = await collectedOrder();
    await fulfilmentEvent(FulfillmentCreatedV1.type, order.id, 1, { status: 'allocated', pickup: true });
    expect(await statusOf(order.id)).toBe('allocated');
    await fulfilmentEvent(FulfillmentReadyForPickupV1.type, order.id, 2, {
      status: 'ready_for_pickup',
      pickup: true,
      orderReady: true,
    });
    expect(await statusOf(order.id)).toBe('ready_for_pickup');
    // Handed over at the counter: ERP ships and delivers it in one go.
    await fulfilmentEvent(FulfillmentShippedV1.type, order.id, 3, {
      status: 'shipped',
      pickup: true,
      orderShipped: true,
    });
    await fulfilmentEvent(FulfillmentDeliveredV1.type, order.id, 4, {
      status: 'delivered',
      orderDelivered: true,
    });
    expect(await statusOf(order.id)).toBe('delivered');
  });

  it('asks for a new choice when ERP moves the collection elsewhere, and refuses checkout until then', async () => {
    const cartId = await cartWith(1);
    expect((await choose(cartId, { methodId: 'collect-ams', collector: ANN })).status).toBe(200);
    const original = erp.pricing.snapshot;
    const moved = { ...COLLECT, version: 2, pickup: { ...KALVERSTRAAT, locationId: 'store-utrecht' } };
    erp.pricing.snapshot = { ...original, version: original.version + 1, shippingMethods: [STANDARD, moved] };
    commerce.clock.advance(5_000);
    try {
      const cart = (await call('GET', `/commerce/v1/carts/${cartId}`)).body;
      expect(cart.shippingRefused).toEqual({ code: 'shipping_not_available' });
      expect(cart.quote.shipping).toBeUndefined();
      const refused = await call('POST', `/commerce/v1/carts/${cartId}/checkout`, {
        email: 'ann@example.com',
        payment: { method: 'test' },
      });
      expect([refused.status, refused.body.code]).toEqual([422, 'shipping_not_available']);
      // Chosen again, it goes to the new store.
      const again = await choose(cartId, { methodId: 'collect-ams', collector: ANN });
      expect(again.body).toMatchObject({
        shipping: { pickupLocationId: 'store-utrecht' },
        shippingRefused: null,
      });
    } finally {
      erp.pricing.snapshot = { ...original, version: original.version + 2 };
      commerce.clock.advance(5_000);
    }
  });

  it('waits while only part of it is ready, and cancels a collection nobody came for', async () => {
    const order = await collectedOrder();
    await fulfilmentEvent(FulfillmentReadyForPickupV1.type, order.id, 2, {
      status: 'ready_for_pickup',
      pickup: true,
      orderReady: false,
    });
    expect(await statusOf(order.id)).toBe('placed');
    await fulfilmentEvent(FulfillmentReadyForPickupV1.type, order.id, 3, {
      status: 'ready_for_pickup',
      pickup: true,
      orderReady: true,
    });
    expect(await statusOf(order.id)).toBe('ready_for_pickup');
    const cancelled = await call(
      'POST',
      `/commerce/v1/orders/${order.id}/cancel`,
      { reason: 'not collected within 7 days' },
      true,
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', refunded: order.total });
    expect(erp.holds.get(order.reservationId)?.status).toBe('released');
  });

  it('cancels a collection waiting past its hold, and leaves the others and those collected', async () => {
    const sweeper = createCollectionSweeper({
      db: commerce.db,
      clock: commerce.clock,
      logger: { warn: () => {} } as never,
      orders: createOrderCommands({
        db: commerce.db,
        clock: commerce.clock,
        erp: erp.port,
        refunds: createRefunds({ ...deps, payments: { test: testPaymentProvider } }),
      }),
      holdDays: 7,
      intervalMs: 60_000,
    });
    const readyAt = (days: number) => new Date(commerce.clock.now().getTime() - days * DAY_MS).toISOString();
    const ready = async (order: { id: string }, at: string) =>
      commerce.deliver('erp', {
        ...foreignEvent(
          'erp',
          FulfillmentReadyForPickupV1.type,
          `fulfilment/${order.id}:store-amsterdam`,
          2,
          {
            fulfilmentId: `${order.id}:store-amsterdam`,
            orderId: order.id,
            reservationId: 'r',
            locationId: 'store-amsterdam',
            version: 2,
            lines: [{ sku: 'A', quantity: 2 }],
            occurredAt: at,
            status: 'ready_for_pickup',
            pickup: true,
            orderReady: true,
          },
        ),
        time: at,
      });
    const overdue = await collectedOrder();
    const waiting = await collectedOrder();
    await ready(overdue, readyAt(8));
    await ready(waiting, readyAt(6));

    expect(await sweeper.sweep()).toBe(1);
    const cancelled = (await call('GET', `/commerce/v1/orders/${overdue.id}`)).body;
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      refunded: overdue.total,
      cancellation: { reason: 'not collected within 7 days', at: commerce.clock.now().toISOString() },
    });
    expect(erp.holds.get(overdue.reservationId)?.status).toBe('released');
    expect(await statusOf(waiting.id)).toBe('ready_for_pickup');
    expect(erp.holds.get(waiting.reservationId)?.status).toBe('held');
    // Nothing more to do until the other one's hold is over too.
    expect(await sweeper.sweep()).toBe(0);
    commerce.clock.advance(DAY_MS + 1000);
    expect(await sweeper.sweep()).toBe(1);
    expect(await statusOf(waiting.id)).toBe('cancelled');
  });
});
