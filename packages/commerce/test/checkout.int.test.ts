import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextHarness, harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { createCommerce } from '../src/index.js';
import { fakeErp } from './fake-erp.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

describe.each(harnessDialects(pgUrl))('carts and checkout on a real %s database', (dialect) => {
  let commerce: ContextHarness;
  const erp = fakeErp({ A: 5, B: 1 });
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => {
    const response = await commerce.app.inject({ method, url, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: response.json(), headers: response.headers };
  };
  const cartWith = async (lines: Array<{ sku: string; quantity: number }>) => {
    const cart = await call('POST', '/commerce/v1/carts', {});
    for (const line of lines) await call('POST', `/commerce/v1/carts/${cart.body.id}/lines`, line);
    return cart.body.id as string;
  };
  const checkout = (cartId: string, payment: Record<string, unknown> = { method: 'test' }) =>
    call('POST', `/commerce/v1/carts/${cartId}/checkout`, { email: 'a@example.com', payment });

  beforeAll(async () => {
    commerce = await createContextHarness(
      (deps) => createCommerce({ ...deps, cacheMaxAgeSeconds: 5, erp: erp.port }),
      { dialect, pgUrl, name: 'commerce' },
    );
  });
  afterAll(async () => commerce?.close());

  it('keeps a live quote as lines are added, changed and removed', async () => {
    const created = await call('POST', '/commerce/v1/carts');
    expect(created.status).toBe(201);
    expect(created.body.quote).toBeNull();
    const id = created.body.id as string;
    let cart = await call('POST', `/commerce/v1/carts/${id}/lines`, { sku: 'A', quantity: 2 });
    cart = await call('POST', `/commerce/v1/carts/${id}/lines`, { sku: 'A', quantity: 1 });
    expect(cart.body.lines).toEqual([{ sku: 'A', quantity: 3 }]);
    expect(cart.body.quote.totals.total).toBe(1500);
    cart = await call('PUT', `/commerce/v1/carts/${id}/lines/A`, { quantity: 1 });
    expect(cart.body.quote.totals.total).toBe(500);
    cart = await call('DELETE', `/commerce/v1/carts/${id}/lines/A`);
    expect(cart.body).toMatchObject({ lines: [], quote: null });
    expect(
      (await call('POST', `/commerce/v1/carts/${id}/lines`, { sku: 'NOPE', quantity: 1 })).body.code,
    ).toBe('unknown_sku');
  });

  it('places one order per cart and writes commerce.order.placed', async () => {
    const id = await cartWith([{ sku: 'A', quantity: 2 }]);
    const first = await checkout(id);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'placed', cartId: id, total: 1000 });
    const again = await checkout(id);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(erp.stock.A).toBe(3);
    const placed = (await commerce.published()).filter((event) => event.type === 'commerce.order.placed');
    expect(placed.map((event) => (event.data as { orderId: string }).orderId)).toEqual([first.body.id]);
    expect((await call('POST', `/commerce/v1/carts/${id}/lines`, { sku: 'A', quantity: 1 })).body.code).toBe(
      'cart_closed',
    );
  });

  it('refuses short stock, releases the hold on decline and timeout, and fails closed without ERP', async () => {
    const short = await checkout(await cartWith([{ sku: 'B', quantity: 2 }]));
    expect(short.status).toBe(409);
    expect(short.body).toMatchObject({ code: 'insufficient_stock', lines: [{ sku: 'B' }] });

    const id = await cartWith([{ sku: 'B', quantity: 1 }]);
    expect((await checkout(id, { method: 'test', outcome: 'decline' })).body.code).toBe('payment_declined');
    expect(erp.stock.B).toBe(1);
    const timedOut = await checkout(id, { method: 'test', outcome: 'timeout' });
    expect([timedOut.status, timedOut.body.code]).toEqual([503, 'payment_timeout']);
    expect(erp.stock.B).toBe(1);

    erp.state.down = true;
    const down = await checkout(id);
    erp.state.down = false;
    expect([down.status, down.body.code, down.headers['retry-after']]).toEqual([
      503,
      'service_unavailable',
      '1',
    ]);
    expect((await checkout(id)).status).toBe(201);
    expect(erp.stock.B).toBe(0);
  });

  it('cancels a placed order and gives the stock back', async () => {
    const order = (await checkout(await cartWith([{ sku: 'A', quantity: 1 }]))).body;
    const stockBefore = erp.stock.A;
    const cancelled = await commerce.app.inject({
      method: 'POST',
      url: `/commerce/v1/orders/${order.id}/cancel`,
      headers: { authorization: `Bearer ${commerce.adminKey}` },
      payload: { reason: 'customer' },
    });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', version: 2 });
    expect(erp.stock.A).toBe(stockBefore! + 1);
  });

  it.each([
    [
      'an unknown payment method',
      { email: 'a@example.com', payment: { method: 'nope' } },
      'unknown_payment_method',
    ],
    ['an extra field', { email: 'a@example.com', payment: { method: 'test' }, tip: 1 }, 'validation_failed'],
    ['a bad email', { email: 'nope', payment: { method: 'test' } }, 'validation_failed'],
  ])('refuses %s', async (_name, body, code) => {
    const id = await cartWith([{ sku: 'A', quantity: 1 }]);
    expect((await call('POST', `/commerce/v1/carts/${id}/checkout`, body)).body.code).toBe(code);
  });
});
