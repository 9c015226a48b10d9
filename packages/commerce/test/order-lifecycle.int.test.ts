import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FulfillmentBackorderedV1,
  FulfillmentDeliveredV1,
  FulfillmentShippedV1,
} from '@tillstream/contracts';
import {
  createContextHarness,
  foreignEvent,
  harnessDialects,
  type ContextHarness,
} from '@tillstream/kernel/testing';
import { createCommerce, type PaymentProvider } from '../src/index.js';
import { createCartSweeper } from '../src/carts/cart.sweeper.js';
import { fakeErp } from './fake-erp.js';
import { storefrontCall } from './storefront-call.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;
const HOUR_MS = 3_600_000;

describe.each(harnessDialects(pgUrl))('cart expiry, late payments, refunds and returns on %s', (dialect) => {
  let commerce: ContextHarness;
  const erp = fakeErp({ A: 100, B: 1, C: 5 });
  const refunds: Array<{ refundId: string; amount: number }> = [];
  /** A provider that takes `slowMs` of (manual) clock time to approve, during which `meanwhile` runs. */
  const slow = { slowMs: 0, meanwhile: () => {}, refundFails: false };
  const slowProvider: PaymentProvider = {
    async authorize(request) {
      commerce.clock.advance(slow.slowMs);
      slow.meanwhile();
      return { status: 'approved', reference: `slow-${request.attemptId}` };
    },
    async refund(request) {
      if (slow.refundFails) return { status: 'failed', reason: 'provider down' };
      refunds.push({ refundId: request.refundId, amount: request.amount });
      return { status: 'refunded', reference: `slow-refund-${request.refundId}` };
    },
  };
  const call = storefrontCall(() => commerce);
  const cartWith = async (lines: Array<{ sku: string; quantity: number }>) => {
    const cart = await call('POST', '/commerce/v1/carts', {});
    for (const line of lines) await call('POST', `/commerce/v1/carts/${cart.body.id}/lines`, line);
    return cart.body.id as string;
  };
  const checkout = (cartId: string, method = 'test') =>
    call('POST', `/commerce/v1/carts/${cartId}/checkout`, { email: 'a@example.com', payment: { method } });
  const fulfilmentEvent = (type: string, orderId: string, extra: Record<string, unknown>) =>
    commerce.deliver(
      'erp',
      foreignEvent('erp', type, `fulfilment/${orderId}:wh`, 2, {
        fulfilmentId: `${orderId}:wh`,
        orderId,
        reservationId: 'r',
        locationId: 'wh',
        version: 2,
        lines: [],
        occurredAt: '2026-11-01T09:00:00.000Z',
        ...extra,
      }),
    );
  const shippedOrder = async (lines: Array<{ sku: string; quantity: number }>) => {
    const order = (await checkout(await cartWith(lines))).body;
    await fulfilmentEvent(FulfillmentShippedV1.type, order.id, { status: 'shipped', orderShipped: true });
    return order as { id: string; total: number };
  };

  beforeAll(async () => {
    commerce = await createContextHarness(
      (deps) =>
        createCommerce({
          ...deps,
          cacheMaxAgeSeconds: 5,
          erp: erp.port,
          payments: { slow: slowProvider },
          checkoutHoldSeconds: 900,
          cartExpirySeconds: 24 * 3600,
        }),
      { dialect, pgUrl, name: 'commerce' },
    );
    erp.state.now = () => commerce.clock.now();
  });
  afterAll(async () => commerce?.close());

  it('expires carts untouched past the expiry: the sweeper and any late change both refuse them', async () => {
    const swept = await cartWith([{ sku: 'A', quantity: 1 }]);
    const touchedLater = await cartWith([{ sku: 'A', quantity: 1 }]);
    commerce.clock.advance(23 * HOUR_MS);
    await call('POST', `/commerce/v1/carts/${touchedLater}/lines`, { sku: 'A', quantity: 1 });
    commerce.clock.advance(HOUR_MS);
    const sweeper = createCartSweeper({
      db: commerce.db,
      clock: commerce.clock,
      logger: { warn: () => {} } as never,
      expirySeconds: 24 * 3600,
      intervalMs: 1000,
    });
    expect(await sweeper.sweep()).toBeGreaterThanOrEqual(1);
    expect((await call('GET', `/commerce/v1/carts/${swept}`)).body).toMatchObject({
      status: 'expired',
      quote: null,
    });
    expect((await call('GET', `/commerce/v1/carts/${touchedLater}`)).body.status).toBe('open');
    const change = await call('POST', `/commerce/v1/carts/${swept}/lines`, { sku: 'A', quantity: 1 });
    expect([change.status, change.body.code]).toEqual([409, 'cart_expired']);
    expect([(await checkout(swept)).status, (await checkout(swept)).body.code]).toEqual([
      409,
      'cart_expired',
    ]);

    // Past its expiry but not swept yet: refused all the same.
    commerce.clock.advance(24 * HOUR_MS);
    const late = await checkout(touchedLater);
    expect([late.status, late.body.code]).toEqual([409, 'cart_expired']);
  });

  it('places a late-approved payment on a fresh hold, or refunds it when the stock is gone', async () => {
    slow.slowMs = 20 * 60_000;
    // The first hold expires while the provider thinks; the stock is still there, so a fresh hold wins.
    slow.meanwhile = () => [...erp.holds.keys()].forEach(erp.expire);
    const placed = await checkout(await cartWith([{ sku: 'C', quantity: 2 }]), 'slow');
    expect([placed.status, placed.body.status]).toMatchObject([201, 'placed']);
    expect(erp.holds.get(placed.body.reservationId)?.status).toBe('held');
    expect(erp.stock.C).toBe(3);

    // This time another shopper takes the last unit while the payment runs: refund, no order, cart open.
    slow.meanwhile = () => {
      [...erp.holds.keys()].forEach(erp.expire);
      erp.stock.B = 0;
    };
    const cartId = await cartWith([{ sku: 'B', quantity: 1 }]);
    const refused = await checkout(cartId, 'slow');
    expect([refused.status, refused.body.code, refused.body.paymentRefunded]).toEqual([
      409,
      'insufficient_stock',
      true,
    ]);
    expect(refunds.filter((refund) => refund.refundId.endsWith('/unplaced'))).toHaveLength(1);
    expect((await call('GET', `/commerce/v1/carts/${cartId}`)).body.status).toBe('open');
    slow.slowMs = 0;
    slow.meanwhile = () => {};
    erp.stock.B = 1;
  });

  it('refunds once per id, never beyond what was paid, and a cancel refunds the rest', async () => {
    const order = (await checkout(await cartWith([{ sku: 'A', quantity: 4 }]))).body;
    const refund = (body: unknown) => call('POST', `/commerce/v1/orders/${order.id}/refunds`, body, true);
    const goodwill = { id: 'goodwill-1', amount: 300, reason: 'late delivery' };
    const first = await refund(goodwill);
    expect([first.status, first.body.status, first.body.amount]).toEqual([201, 'succeeded', 300]);
    const again = await refund(goodwill);
    expect([again.status, again.body.reference]).toEqual([200, first.body.reference]);
    expect((await refund({ ...goodwill, amount: 301 })).body.code).toBe('id_conflict');
    const tooMuch = await refund({ id: 'goodwill-2', amount: order.total, reason: 'oops' });
    expect([tooMuch.status, tooMuch.body.code, tooMuch.body.refundable]).toEqual([
      422,
      'refund_exceeds_paid',
      order.total - 300,
    ]);
    const cancelled = await call(
      'POST',
      `/commerce/v1/orders/${order.id}/cancel`,
      { reason: 'customer' },
      true,
    );
    expect(cancelled.body).toMatchObject({ status: 'cancelled', refunded: order.total });
    await call('POST', `/commerce/v1/orders/${order.id}/cancel`, { reason: 'twice' }, true);
    const listed = await call('GET', `/commerce/v1/orders/${order.id}/refunds`, undefined, true);
    expect(listed.body.refunds.map((r: { id: string; amount: number }) => [r.id, r.amount])).toEqual(
      expect.arrayContaining([
        ['goodwill-1', 300],
        ['cancel', order.total - 300],
      ]),
    );
    expect(listed.body.refunds).toHaveLength(2);
    const events = (await commerce.published()).filter((event) => event.type === 'commerce.order.refunded');
    expect(events.filter((event) => (event.data as { orderId: string }).orderId === order.id)).toHaveLength(
      2,
    );
  });

  it('takes returns of shipped units only, refunds their share and tells ERP', async () => {
    const order = await shippedOrder([
      { sku: 'A', quantity: 3 },
      { sku: 'C', quantity: 1 },
    ]);
    const returns = (body: unknown) => call('POST', `/commerce/v1/orders/${order.id}/returns`, body, true);
    const first = await returns({
      id: 'ret-1',
      lines: [
        { sku: 'A', quantity: 1, disposition: 'restock' },
        { sku: 'A', quantity: 1, disposition: 'damaged' },
      ],
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ refundAmount: 1000, refund: { amount: 1000, status: 'succeeded' } });
    expect((await returns({ id: 'ret-1', lines: first.body.lines })).status).toBe(200);
    const over = await returns({ lines: [{ sku: 'A', quantity: 2, disposition: 'restock' }] });
    expect([over.status, over.body.code, over.body.lines]).toEqual([
      422,
      'return_exceeds_shipped',
      [{ sku: 'A', shipped: 3, returned: 2, requested: 2 }],
    ]);
    expect((await returns({ lines: [{ sku: 'B', quantity: 1, disposition: 'restock' }] })).body.code).toBe(
      'return_line_not_in_order',
    );
    const view = (await call('GET', `/commerce/v1/orders/${order.id}`)).body;
    expect(view).toMatchObject({
      refunded: 1000,
      lines: [
        { sku: 'A', returned: 2 },
        { sku: 'C', returned: 0 },
      ],
    });
    const received = (await commerce.published()).filter(
      (event) =>
        event.type === 'commerce.return.received' && (event.data as { orderId: string }).orderId === order.id,
    );
    expect(received.map((event) => event.data)).toEqual([
      expect.objectContaining({
        returnId: 'ret-1',
        locationId: null,
        refund: { currency: 'EUR', amount: 1000 },
      }),
    ]);

    const unshipped = (await checkout(await cartWith([{ sku: 'A', quantity: 1 }]))).body;
    const early = await call(
      'POST',
      `/commerce/v1/orders/${unshipped.id}/returns`,
      { lines: [{ sku: 'A', quantity: 1, disposition: 'restock' }] },
      true,
    );
    expect([early.status, early.body.code]).toEqual([409, 'order_transition_invalid']);
  });

  it('a return whose refund failed names its ids, and repeating it under that id pays exactly once', async () => {
    const order = (await checkout(await cartWith([{ sku: 'C', quantity: 2 }]), 'slow')).body;
    await fulfilmentEvent(FulfillmentShippedV1.type, order.id, { status: 'shipped', orderShipped: true });
    const body = { lines: [{ sku: 'C', quantity: 2, disposition: 'restock' }] };
    const returns = (payload: unknown) =>
      call('POST', `/commerce/v1/orders/${order.id}/returns`, payload, true);

    slow.refundFails = true;
    const failed = await returns(body);
    slow.refundFails = false;
    expect([failed.status, failed.body.code]).toEqual([503, 'refund_failed']);
    const { returnId, refundId } = failed.body as { returnId: string; refundId: string };
    expect([typeof returnId, typeof refundId]).toEqual(['string', 'string']);
    expect((await call('GET', `/commerce/v1/orders/${order.id}`)).body.refunded).toBe(0);

    const retried = await returns({ id: returnId, ...body });
    expect([retried.status, retried.body.refund]).toMatchObject([200, { id: refundId, status: 'succeeded' }]);
    expect((await returns({ id: returnId, ...body })).body.refund.status).toBe('succeeded');
    expect(refunds.filter((refund) => refund.refundId === `${order.id}/${refundId}`)).toEqual([
      { refundId: `${order.id}/${refundId}`, amount: order.total },
    ]);
    expect((await call('GET', `/commerce/v1/orders/${order.id}`)).body.refunded).toBe(order.total);
  });

  it('follows delivery, and a delivered order paid back in full is refunded', async () => {
    const order = await shippedOrder([{ sku: 'A', quantity: 2 }]);
    await fulfilmentEvent(FulfillmentDeliveredV1.type, order.id, {
      status: 'delivered',
      orderDelivered: true,
    });
    expect((await call('GET', `/commerce/v1/orders/${order.id}`)).body.status).toBe('delivered');
    const back = await call(
      'POST',
      `/commerce/v1/orders/${order.id}/returns`,
      { lines: [{ sku: 'A', quantity: 2, disposition: 'restock' }] },
      true,
    );
    expect(back.body.refundAmount).toBe(order.total);
    expect((await call('GET', `/commerce/v1/orders/${order.id}`)).body).toMatchObject({
      status: 'refunded',
      refunded: order.total,
    });
  });

  it('an order refunded in full while shipped is refunded once delivered', async () => {
    const order = await shippedOrder([{ sku: 'A', quantity: 1 }]);
    const refund = await call(
      'POST',
      `/commerce/v1/orders/${order.id}/refunds`,
      { id: 'all', amount: order.total, reason: 'lost in transit' },
      true,
    );
    expect(refund.status).toBe(201);
    expect((await call('GET', `/commerce/v1/orders/${order.id}`)).body.status).toBe('shipped');
    await fulfilmentEvent(FulfillmentDeliveredV1.type, order.id, {
      status: 'delivered',
      orderDelivered: true,
    });
    expect((await call('GET', `/commerce/v1/orders/${order.id}`)).body).toMatchObject({
      status: 'refunded',
      refunded: order.total,
    });
  });

  it('refuses a return to a location ERP does not know, refunding and recording nothing', async () => {
    const order = await shippedOrder([{ sku: 'A', quantity: 1 }]);
    const lines = [{ sku: 'A', quantity: 1, disposition: 'restock' }];
    const nowhere = await call(
      'POST',
      `/commerce/v1/orders/${order.id}/returns`,
      { locationId: 'nowhere', lines },
      true,
    );
    expect([nowhere.status, nowhere.body.code, nowhere.body.locations]).toEqual([
      422,
      'unknown_location',
      ['nowhere'],
    ]);
    expect((await call('GET', `/commerce/v1/orders/${order.id}`)).body.refunded).toBe(0);
    const known = await call(
      'POST',
      `/commerce/v1/orders/${order.id}/returns`,
      { locationId: 'store-1', lines },
      true,
    );
    expect([known.status, known.body.refundAmount]).toEqual([201, order.total]);
  });

  it('shows units waiting for stock per line, newest word from ERP wins', async () => {
    const order = (await checkout(await cartWith([{ sku: 'A', quantity: 5 }]))).body;
    const backordered = (version: number, units: number) =>
      commerce.deliver(
        'erp',
        foreignEvent('erp', FulfillmentBackorderedV1.type, `order/${order.id}/backorders`, version, {
          orderId: order.id,
          reservationId: order.reservationId,
          version,
          lines: [{ lineNo: 1, sku: 'A', backordered: units }],
          occurredAt: '2026-11-01T09:00:00.000Z',
        }),
      );
    const lineOf = async () => (await call('GET', `/commerce/v1/orders/${order.id}`)).body.lines[0];
    await backordered(2, 3);
    expect(await lineOf()).toMatchObject({ quantity: 5, backordered: 3 });
    await backordered(4, 0);
    await backordered(3, 1);
    expect(await lineOf()).toMatchObject({ backordered: 0 });
  });

  it('refuses bad refund and return input with stable codes', async () => {
    const order = await shippedOrder([{ sku: 'A', quantity: 1 }]);
    const cases: Array<[string, unknown, number, string]> = [
      ['refunds', { id: 'r', amount: 0, reason: 'x' }, 400, 'validation_failed'],
      ['refunds', { id: 'r', amount: 1.5, reason: 'x' }, 400, 'validation_failed'],
      ['refunds', { id: 'r', amount: 1 }, 400, 'validation_failed'],
      ['refunds', { id: '../r', amount: 1, reason: 'x' }, 400, 'validation_failed'],
      ['returns', { lines: [] }, 400, 'validation_failed'],
      ['returns', { lines: [{ sku: 'A', quantity: 1, disposition: 'lost' }] }, 400, 'validation_failed'],
      ['returns', { lines: [{ sku: 'A', quantity: -1, disposition: 'restock' }] }, 400, 'validation_failed'],
    ];
    for (const [route, body, status, code] of cases) {
      const answer = await call('POST', `/commerce/v1/orders/${order.id}/${route}`, body, true);
      expect([route, body, answer.status, answer.body.code]).toEqual([route, body, status, code]);
    }
    const missing = await call(
      'POST',
      '/commerce/v1/orders/nope/refunds',
      { id: 'r', amount: 1, reason: 'x' },
      true,
    );
    expect([missing.status, missing.body.code]).toEqual([404, 'order_not_found']);
    const noReturn = await call(
      'POST',
      '/commerce/v1/orders/nope/returns',
      { lines: [{ sku: 'A', quantity: 1, disposition: 'restock' }] },
      true,
    );
    expect([noReturn.status, noReturn.body.code]).toEqual([404, 'order_not_found']);
    const anonymous = await call('POST', `/commerce/v1/orders/${order.id}/refunds`, {
      id: 'r',
      amount: 1,
      reason: 'x',
    });
    expect(anonymous.status).toBe(401);
  });
});
