import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { uniqueName } from '@tillstream/kernel/testing';
import { hubEvents, saleBody, seedShop } from '../support/fixtures.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';
const TRACEPARENT = /^00-([\da-f]{32})-([\da-f]{16})-(0[01])$/;

const traceOf = (traceparent: string | undefined) => {
  const [, traceId, spanId, flags] = TRACEPARENT.exec(traceparent ?? '') ?? [];
  return { traceId, spanId, flags };
};

describe.each(ENGINES)('trace context and correlation on events (%s)', (engine) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startPlatform(engine);
  });
  afterAll(async () => platform?.stop());

  /** The sale's event and the stock change ERP made of it, once the hub lists both. */
  const eventsOfSale = (saleId: string, sku: string) =>
    eventually(
      async () => {
        const events = await hubEvents(platform);
        const sale = events.find(
          (event) => event.type === 'pos.sale.completed' && event.data.saleId === saleId,
        );
        const stock = events.find(
          (event) => event.type === 'erp.stock.changed' && event.data.movement.id === `sale/${saleId}/${sku}`,
        );
        return sale && stock ? { sale, stock } : null;
      },
      20_000,
      'the hub lists the sale and its stock change',
    );

  it("carries a sale's traceparent from the request to POS's event and on to the stock change it causes", async () => {
    const shop = await seedShop(platform, { skuCount: 1, stock: 10 });
    const sku = shop.skus[0]!;
    const body = saleBody(shop, [{ sku, quantity: 2 }]);
    const posted = await platform.request('POST', '/pos/v1/sales', body, {
      traceparent: `00-${TRACE}-${CALLER_SPAN}-01`,
    });
    expect(posted.status).toBe(201);
    expect(posted.headers.get('x-trace-id')).toBe(TRACE);

    const { sale, stock } = await eventsOfSale(body.id, sku);
    // POS's event: a span of the caller's trace, correlated by that trace, caused by no event.
    expect(traceOf(sale.traceparent)).toMatchObject({ traceId: TRACE, flags: '01' });
    expect(traceOf(sale.traceparent).spanId).not.toBe(CALLER_SPAN);
    expect(sale.correlationid).toBe(TRACE);
    expect(sale.causationid).toBeUndefined();
    // ERP's stock change: caused by the sale's event, in the same trace, under the same correlation.
    expect(stock.causationid).toBe(sale.id);
    expect(stock.correlationid).toBe(TRACE);
    expect(traceOf(stock.traceparent)).toMatchObject({ traceId: TRACE, flags: '01' });
    expect(traceOf(stock.traceparent).spanId).not.toBe(traceOf(sale.traceparent).spanId);
  });

  it('starts a trace for a sale posted without a traceparent: the one answered as x-trace-id', async () => {
    const shop = await seedShop(platform, { skuCount: 1, stock: 10 });
    const sku = shop.skus[0]!;
    const body = saleBody(shop, [{ sku, quantity: 1 }], { terminalId: 'till-untraced' });
    const posted = await platform.request('POST', '/pos/v1/sales', body);
    expect(posted.status).toBe(201);
    const traceId = posted.headers.get('x-trace-id');
    expect(traceId).toMatch(/^[\da-f]{32}$/);

    const { sale, stock } = await eventsOfSale(body.id, sku);
    expect(traceOf(sale.traceparent).traceId).toBe(traceId);
    expect(sale.correlationid).toBe(traceId);
    expect(stock.causationid).toBe(sale.id);
    expect(stock.correlationid).toBe(traceId);
    expect(traceOf(stock.traceparent).traceId).toBe(traceId);
  });

  it("carries a checkout's trace on to the stock ERP holds for it and to the order commerce places", async () => {
    const warehouseId = uniqueName('wh');
    const sku = uniqueName('WEB');
    for (const [method, path, body] of [
      ['PUT', `/erp/v1/locations/${warehouseId}`, { name: 'Web warehouse', kind: 'warehouse' }],
      ['PUT', `/erp/v1/products/${sku}`, { name: 'Traced tee', price: { amount: 2500, currency: 'EUR' } }],
      [
        'POST',
        '/erp/v1/inventory/adjustments',
        {
          id: uniqueName('receipt'),
          sku,
          locationId: warehouseId,
          delta: 5,
          reason: 'received',
          occurredAt: '2026-11-01T08:00:00Z',
        },
      ],
    ] as const)
      expect((await platform.request(method, path, body)).status).toBeLessThan(300);
    await eventually(
      async () => (await platform.request('GET', `/commerce/v1/products/${sku}`)).body.available === 5,
      20_000,
      'commerce sees the receipt',
    );
    const cartId = (await platform.request('POST', '/commerce/v1/carts', {})).body.id as string;
    expect(
      (await platform.request('POST', `/commerce/v1/carts/${cartId}/lines`, { sku, quantity: 1 })).status,
    ).toBeLessThan(300);
    const placed = await platform.request(
      'POST',
      `/commerce/v1/carts/${cartId}/checkout`,
      { email: 'shopper@example.com', payment: { method: 'test' } },
      { traceparent: `00-${TRACE}-${CALLER_SPAN}-01` },
    );
    expect(placed.status).toBe(201);

    const { hold, order } = await eventually(
      async () => {
        const events = await hubEvents(platform);
        const hold = events.find(
          (event) =>
            event.type === 'erp.stock.changed' &&
            event.data.sku === sku &&
            event.data.movement.reserved === 1,
        );
        const order = events.find(
          (event) => event.type === 'commerce.order.placed' && event.data.cartId === cartId,
        );
        return hold && order ? { hold, order } : null;
      },
      20_000,
      'the hub lists the hold and the order',
    );
    // ERP's hold was written for commerce's call, which carried the checkout's trace along.
    expect(hold.correlationid).toBe(TRACE);
    expect(traceOf(hold.traceparent).traceId).toBe(TRACE);
    expect(order.correlationid).toBe(TRACE);
    expect(traceOf(order.traceparent).traceId).toBe(TRACE);
  });
});
