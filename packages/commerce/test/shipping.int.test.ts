import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import {
  FulfillmentShippedV1,
  OrderPlacedV1,
  type PricingSnapshot,
  type ShippingMethod,
} from '@tillstream/contracts';
import {
  createContextHarness,
  foreignEvent,
  harnessDialects,
  type ContextHarness,
} from '@tillstream/kernel/testing';
import { createCommerce } from '../src/index.js';
import { fakeErp } from './fake-erp.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

/** €4.95 plus 21 % VAT on top (€1.04), free from €50 of goods; delivers to NL and BE. */
const STANDARD: ShippingMethod = {
  id: 'standard',
  version: 1,
  name: 'Standard, 2–3 days',
  countries: ['NL', 'BE'],
  rates: [{ currency: 'EUR', amount: 495, freeFrom: 5000 }],
  taxCategory: 'shipping',
};
/** €12.95 plus VAT (€2.72), NL only, never free. */
const EXPRESS: ShippingMethod = {
  id: 'express',
  version: 1,
  name: 'Express, next day',
  countries: ['NL'],
  rates: [{ currency: 'EUR', amount: 1295 }],
  taxCategory: 'shipping',
};
const HOME = { name: 'Ann Smit', line1: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' };

describe.each(harnessDialects(pgUrl))('delivery in carts, checkout and orders on %s', (dialect) => {
  let commerce: ContextHarness;
  // A costs €10.00 and carries no tax (no rate for its category), so the figures below are the delivery's.
  const erp = fakeErp({ A: 100 }, 1000, {
    shippingMethods: [STANDARD, EXPRESS],
    taxRates: [
      { id: 'nl-ship', version: 1, name: 'VAT', taxCategory: 'shipping', ratePpm: 210_000, inclusive: false },
    ],
  });
  /** The snapshot as ERP first served it, so a test that publishes another can put it back. */
  let original: PricingSnapshot;
  let nextVersion = 2;
  /** ERP publishes `change` of its snapshot as a new version, and the storefront reads it at once. */
  const publish = (change: Partial<PricingSnapshot>) => {
    erp.pricing.snapshot = { ...original, ...change, version: nextVersion++ };
    commerce.clock.advance(5_000);
  };

  const call = async (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
    admin = false,
  ) => {
    const response = await commerce.app.inject({
      method,
      url,
      ...(payload !== undefined ? { payload } : {}),
      ...(admin ? { headers: { authorization: `Bearer ${commerce.adminKey}` } } : {}),
    });
    return { status: response.statusCode, body: response.json() };
  };
  const cartWith = async (quantity: number) => {
    const cart = await call('POST', '/commerce/v1/carts', {});
    await call('POST', `/commerce/v1/carts/${cart.body.id}/lines`, { sku: 'A', quantity });
    return cart.body.id as string;
  };
  const choose = (cartId: string, methodId: string, address: Record<string, unknown> = HOME) =>
    call('PUT', `/commerce/v1/carts/${cartId}/shipping`, { methodId, address });
  const checkout = (cartId: string) =>
    call('POST', `/commerce/v1/carts/${cartId}/checkout`, {
      email: 'ann@example.com',
      payment: { method: 'test' },
    });
  const deliveredCart = async (quantity: number, methodId = 'standard') => {
    const cartId = await cartWith(quantity);
    expect((await choose(cartId, methodId)).status).toBe(200);
    return cartId;
  };
  const openHolds = () => [...erp.holds.values()].filter((hold) => hold.status === 'held').length;

  beforeAll(async () => {
    commerce = await createContextHarness(
      (deps) => createCommerce({ ...deps, cacheMaxAgeSeconds: 5, erp: erp.port }),
      { dialect, pgUrl, name: 'commerce' },
    );
    erp.state.now = () => commerce.clock.now();
    original = erp.pricing.snapshot;
  });
  afterAll(async () => commerce?.close());

  it('lists the methods that deliver to a country, priced for the goods, cheapest first', async () => {
    const cartId = await cartWith(2);
    const nl = await call('GET', `/commerce/v1/carts/${cartId}/shipping-options?country=NL`);
    expect(nl.status).toBe(200);
    expect(nl.body).toMatchObject({ country: 'NL', currency: 'EUR' });
    expect(
      nl.body.options.map((option: { methodId: string; total: number }) => [option.methodId, option.total]),
    ).toEqual([
      ['standard', 599],
      ['express', 1567],
    ]);
    const be = await call('GET', `/commerce/v1/carts/${cartId}/shipping-options?country=BE`);
    expect(be.body.options.map((option: { methodId: string }) => option.methodId)).toEqual(['standard']);
    expect(
      (await call('GET', `/commerce/v1/carts/${cartId}/shipping-options?country=DE`)).body.options,
    ).toEqual([]);

    const enough = await cartWith(5);
    const free = await call('GET', `/commerce/v1/carts/${enough}/shipping-options?country=NL`);
    expect(free.body.options[0]).toMatchObject({
      methodId: 'standard',
      amount: 495,
      discountAmount: 495,
      total: 0,
    });
  });

  it('prices the chosen delivery into the cart, replaces it, and clears it', async () => {
    const cartId = await cartWith(2);
    const chosen = await choose(cartId, 'standard');
    expect(chosen.status).toBe(200);
    expect(chosen.body).toMatchObject({
      shipping: { methodId: 'standard', address: HOME },
      shippingRefused: null,
    });
    expect(chosen.body.quote.shipping).toMatchObject({
      methodId: 'standard',
      country: 'NL',
      netAmount: 495,
      total: 599,
    });
    expect(chosen.body.quote.totals).toMatchObject({ net: 2000, shipping: 495, tax: 104, total: 2599 });

    const express = await choose(cartId, 'express');
    expect(express.body.quote.totals.total).toBe(2000 + 1567);
    expect(express.body.version).toBe(chosen.body.version + 1);

    const cleared = await call('DELETE', `/commerce/v1/carts/${cartId}/shipping`);
    expect(cleared.body.shipping).toBeNull();
    expect(cleared.body.quote.shipping).toBeUndefined();
    expect(cleared.body.quote.totals.total).toBe(2000);
  });

  it("refuses what the engine refuses and keeps the cart's choice as it was", async () => {
    const cartId = await deliveredCart(1);
    const abroad = await choose(cartId, 'express', { ...HOME, country: 'BE' });
    expect([abroad.status, abroad.body.code]).toEqual([422, 'shipping_not_available']);
    const unknown = await choose(cartId, 'pigeon');
    expect([unknown.status, unknown.body.code]).toEqual([422, 'shipping_method_unknown']);
    expect((await call('GET', `/commerce/v1/carts/${cartId}`)).body.shipping.methodId).toBe('standard');
  });

  it('keeps the choice when the cart empties and prices it again once goods are back', async () => {
    const cartId = await deliveredCart(1);
    const emptied = await call('DELETE', `/commerce/v1/carts/${cartId}/lines/A`);
    expect(emptied.body).toMatchObject({ lines: [], quote: null, shipping: { methodId: 'standard' } });
    const refilled = await call('POST', `/commerce/v1/carts/${cartId}/lines`, { sku: 'A', quantity: 1 });
    expect(refilled.body.quote.totals.total).toBe(1000 + 599);
    const empty = (await call('POST', '/commerce/v1/carts', {})).body.id as string;
    expect((await choose(empty, 'standard')).body.code).toBe('cart_empty');
  });

  it('checks out with delivery: the payment, the order and its event carry it', async () => {
    const cartId = await deliveredCart(2);
    const placed = await checkout(cartId);
    expect(placed.status).toBe(201);
    const shipping = {
      methodId: 'standard',
      name: 'Standard, 2–3 days',
      amount: 599,
      tax: { ratePpm: 210_000, inclusive: false, amount: 104 },
      address: HOME,
    };
    expect(placed.body).toMatchObject({ total: 2599, shipping });
    const lineTotals = placed.body.lines.reduce(
      (sum: number, line: { lineTotal: number }) => sum + line.lineTotal,
      0,
    );
    expect(placed.body.total).toBe(lineTotals + placed.body.shipping.amount);
    expect((await call('GET', `/commerce/v1/orders/${placed.body.id}`)).body).toMatchObject({
      total: 2599,
      shipping,
    });

    const event = (await commerce.published()).find(
      (each) =>
        each.type === 'commerce.order.placed' &&
        (each.data as { orderId: string }).orderId === placed.body.id,
    )!;
    expect(Value.Check(OrderPlacedV1.dataSchema, event.data)).toBe(true);
    expect(event.data).toMatchObject({ total: 2599, shipping });

    const listed = await call('GET', '/commerce/v1/orders?limit=200', undefined, true);
    expect(listed.body.orders.find((order: { id: string }) => order.id === placed.body.id)).toMatchObject({
      total: 2599,
      shipping: { methodId: 'standard', name: 'Standard, 2–3 days', amount: 599 },
    });
  });

  it('delivers free from the threshold: the order is charged nothing for it', async () => {
    const placed = await checkout(await deliveredCart(5));
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({
      total: 5000,
      shipping: { methodId: 'standard', amount: 0, tax: { ratePpm: 210_000, inclusive: false, amount: 0 } },
    });
  });

  it('refuses a checkout without delivery while the chain ships, before anything is held or charged', async () => {
    const cartId = await cartWith(1);
    const stock = erp.stock.A;
    const holds = openHolds();
    const refused = await checkout(cartId);
    expect([refused.status, refused.body.code]).toEqual([422, 'shipping_required']);
    expect([erp.stock.A, openHolds()]).toEqual([stock, holds]);
    expect((await call('GET', `/commerce/v1/carts/${cartId}`)).body.status).toBe('open');
    expect((await choose(cartId, 'standard')).status).toBe(200);
    expect((await checkout(cartId)).status).toBe(201);
  });

  it('refuses a method ERP withdrew after it was chosen, at checkout, with nothing held or charged', async () => {
    const cartId = await deliveredCart(1);
    const otherCart = await deliveredCart(1, 'express');
    publish({ shippingMethods: [{ ...STANDARD, version: 2, enabled: false }, EXPRESS] });
    try {
      const view = await call('GET', `/commerce/v1/carts/${cartId}`);
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({ shippingRefused: { code: 'shipping_method_unknown' } });
      expect(view.body.quote.totals.total).toBe(1000);
      const stock = erp.stock.A;
      const holds = openHolds();
      const refused = await checkout(cartId);
      expect([refused.status, refused.body.code]).toEqual([422, 'shipping_method_unknown']);
      expect([erp.stock.A, openHolds()]).toEqual([stock, holds]);
      expect((await call('GET', `/commerce/v1/carts/${cartId}`)).body.status).toBe('open');
      // Another method still works, and so does the cart that chose it.
      expect((await choose(cartId, 'express')).body.shippingRefused).toBeNull();
      expect((await checkout(cartId)).status).toBe(201);
      expect((await checkout(otherCart)).body.shipping.methodId).toBe('express');
    } finally {
      publish({});
    }
  });

  it('refuses a destination the method stopped delivering to since the choice', async () => {
    const cartId = await deliveredCart(1);
    publish({ shippingMethods: [{ ...STANDARD, version: 2, countries: ['BE'] }, EXPRESS] });
    try {
      expect((await call('GET', `/commerce/v1/carts/${cartId}`)).body.shippingRefused).toEqual({
        code: 'shipping_not_available',
      });
      expect((await checkout(cartId)).body.code).toBe('shipping_not_available');
    } finally {
      publish({});
    }
  });

  it('checks out without delivery when no method is offered in the cart’s channel or currency', async () => {
    publish({
      shippingMethods: [
        { ...STANDARD, channels: ['app'] },
        { ...EXPRESS, rates: [{ currency: 'GBP', amount: 995 }] },
      ],
    });
    try {
      const placed = await checkout(await cartWith(1));
      expect(placed.status).toBe(201);
      expect(placed.body).toMatchObject({ total: 1000, shipping: null });
    } finally {
      publish({});
    }
  });

  it('refunds the delivery on cancel; returns refund the goods; a goodwill refund may cover the delivery', async () => {
    const cancelled = (await checkout(await deliveredCart(2))).body;
    const cancel = await call(
      'POST',
      `/commerce/v1/orders/${cancelled.id}/cancel`,
      { reason: 'customer' },
      true,
    );
    expect(cancel.body).toMatchObject({ status: 'cancelled', refunded: 2599 });
    const refunds = await call('GET', `/commerce/v1/orders/${cancelled.id}/refunds`, undefined, true);
    expect(refunds.body.refunds).toEqual([
      // The cancel names the delivery it gives back, for ERP's books.
      expect.objectContaining({ id: 'cancel', amount: 2599, shipping: 599, status: 'succeeded' }),
    ]);

    const order = (await checkout(await deliveredCart(2))).body;
    await commerce.deliver(
      'erp',
      foreignEvent('erp', FulfillmentShippedV1.type, `fulfilment/${order.id}:wh`, 2, {
        fulfilmentId: `${order.id}:wh`,
        orderId: order.id,
        reservationId: order.reservationId,
        locationId: 'wh',
        version: 2,
        lines: [],
        status: 'shipped',
        orderShipped: true,
        occurredAt: '2026-11-01T09:00:00.000Z',
      }),
    );
    const returned = await call(
      'POST',
      `/commerce/v1/orders/${order.id}/returns`,
      { id: 'all-back', lines: [{ sku: 'A', quantity: 2, disposition: 'restock' }] },
      true,
    );
    expect(returned.body).toMatchObject({ refundAmount: 2000 });
    const refund = (id: string, amount: number) =>
      call(
        'POST',
        `/commerce/v1/orders/${order.id}/refunds`,
        { id, amount, shipping: amount, reason: 'goodwill' },
        true,
      );
    const over = await refund('too-much', 600);
    expect([over.status, over.body.code, over.body.refundable]).toEqual([422, 'refund_exceeds_paid', 599]);
    expect((await refund('delivery', 599)).body).toMatchObject({ amount: 599, shipping: 599 });
    expect((await call('GET', `/commerce/v1/orders/${order.id}`)).body).toMatchObject({ refunded: 2599 });
    const listed = await call('GET', `/commerce/v1/orders/${order.id}/refunds`, undefined, true);
    // The return's refund is goods: it names no delivery.
    expect(
      listed.body.refunds.map((each: { id: string; shipping: number }) => [each.id, each.shipping]),
    ).toEqual([
      ['delivery', 599],
      ['return-all-back', 0],
    ]);
  });

  it('lets only one of many concurrent refunds name the last of the delivery', async () => {
    const order = (await checkout(await deliveredCart(2))).body;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        call(
          'POST',
          `/commerce/v1/orders/${order.id}/refunds`,
          { id: `late-${index}`, amount: 400, shipping: 400, reason: 'late' },
          true,
        ),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(9).fill(422)]);
    for (const refused of answers.filter((answer) => answer.status === 422))
      expect(refused.body).toMatchObject({ code: 'refund_shipping_exceeds_paid', refundableShipping: 199 });
    expect((await call('GET', `/commerce/v1/orders/${order.id}`)).body).toMatchObject({ refunded: 400 });
  });

  describe('bad input', () => {
    let cartId: string;
    beforeAll(async () => {
      cartId = await cartWith(1);
    });

    it.each([
      ['an unknown field', { methodId: 'standard', address: HOME, gift: true }],
      ['an unknown address field', { methodId: 'standard', address: { ...HOME, floor: 3 } }],
      ['no method', { address: HOME }],
      ['an address without a city', { methodId: 'standard', address: { ...HOME, city: undefined } }],
      ['an address without a postal code', { methodId: 'standard', address: { ...HOME, postalCode: '' } }],
      ['a lower-case country', { methodId: 'standard', address: { ...HOME, country: 'nl' } }],
      ['a three-letter country', { methodId: 'standard', address: { ...HOME, country: 'NLD' } }],
      ['a method id that is no id', { methodId: 'no such method!', address: HOME }],
      ['no body', undefined],
    ])('refuses %s with 400 validation_failed and changes nothing', async (_name, body) => {
      const before = (await call('GET', `/commerce/v1/carts/${cartId}`)).body;
      const refused = await call('PUT', `/commerce/v1/carts/${cartId}/shipping`, body);
      expect([refused.status, refused.body.code]).toEqual([400, 'validation_failed']);
      expect((await call('GET', `/commerce/v1/carts/${cartId}`)).body.version).toBe(before.version);
    });

    it.each([
      ['a lower-case country', '?country=nl'],
      ['a country name', '?country=Netherlands'],
      ['no country', ''],
      ['an unknown parameter', '?country=NL&currency=USD'],
    ])('refuses options for %s with 400 validation_failed', async (_name, query) => {
      const refused = await call('GET', `/commerce/v1/carts/${cartId}/shipping-options${query}`);
      expect([refused.status, refused.body.code]).toEqual([400, 'validation_failed']);
    });

    it('answers 404 cart_not_found for an unknown cart and 409 for a cart no longer open', async () => {
      for (const [method, path, body] of [
        ['PUT', 'shipping', { methodId: 'standard', address: HOME }],
        ['DELETE', 'shipping', undefined],
        ['GET', 'shipping-options?country=NL', undefined],
      ] as const) {
        const missing = await call(method, `/commerce/v1/carts/no-such-cart/${path}`, body);
        expect([missing.status, missing.body.code]).toEqual([404, 'cart_not_found']);
      }
      const ordered = await deliveredCart(1);
      expect((await checkout(ordered)).status).toBe(201);
      const closed = await choose(ordered, 'express');
      expect([closed.status, closed.body.code]).toEqual([409, 'cart_closed']);
      const cleared = await call('DELETE', `/commerce/v1/carts/${ordered}/shipping`);
      expect([cleared.status, cleared.body.code]).toEqual([409, 'cart_closed']);
    });
  });
});
