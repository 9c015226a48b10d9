import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@tillstream/kernel/testing';
import { ENGINES } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';

interface Summary {
  id: string;
  status: string;
  email: string;
  placedAt: string;
  unitCount: number;
}

describe.each(ENGINES)('customer service lists online orders over HTTP (%s)', (engine) => {
  let platform: TestPlatform;
  /** One shopper's orders, oldest first, as checkout answered them. */
  const placed: Array<{ id: string; placedAt: string }> = [];
  const shopper = `${uniqueName('shopper')}@example.com`;

  const ids = (orders: Summary[]) => orders.map((order) => order.id);
  const list = (query: string, headers: Record<string, string> = {}) =>
    platform.request<{ orders: Summary[]; next: string | null; code?: string }>(
      'GET',
      `/commerce/v1/orders?${query}`,
      undefined,
      headers,
    );

  beforeAll(async () => {
    platform = await startPlatform(engine);
    // The web channel sells what every warehouse holds.
    const warehouseId = uniqueName('wh');
    const sku = uniqueName('WEB');
    for (const [method, path, body] of [
      ['PUT', `/erp/v1/locations/${warehouseId}`, { name: 'Web warehouse', kind: 'warehouse' }],
      ['PUT', `/erp/v1/products/${sku}`, { name: 'Tee', price: { amount: 2500, currency: 'EUR' } }],
      [
        'POST',
        '/erp/v1/inventory/adjustments',
        {
          id: uniqueName('receipt'),
          sku,
          locationId: warehouseId,
          delta: 50,
          reason: 'received',
          occurredAt: '2026-11-01T08:00:00Z',
        },
      ],
    ] as const) {
      expect((await platform.request(method, path, body)).status).toBeLessThan(300);
    }
    // The shopper types the email differently each time; the list finds every one of them.
    for (const [index, email] of [shopper, shopper.toUpperCase(), shopper, shopper].entries()) {
      const cart = await platform.request('POST', '/commerce/v1/carts', {});
      await eventually(
        async () =>
          (
            await platform.request('POST', `/commerce/v1/carts/${cart.body.id}/lines`, {
              sku,
              quantity: index + 1,
            })
          ).status === 200,
      );
      const order = await platform.request('POST', `/commerce/v1/carts/${cart.body.id}/checkout`, {
        email,
        payment: { method: 'test' },
      });
      expect(order.status).toBe(201);
      placed.push({ id: order.body.id, placedAt: order.body.placedAt });
    }
  }, 120_000);
  afterAll(async () => platform?.stop());

  it("lists a shopper's orders newest first, whatever the case of the email, one page or one at a time", async () => {
    const newestFirst = placed.map((order) => order.id).reverse();
    const all = await list(`email=${encodeURIComponent(shopper.toUpperCase())}`);
    expect([all.status, ids(all.body.orders), all.body.next]).toEqual([200, newestFirst, null]);
    expect(all.body.orders.map((order) => order.unitCount)).toEqual([4, 3, 2, 1]);

    const paged: string[] = [];
    let after: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof list>> = await list(
        `email=${encodeURIComponent(shopper)}&limit=1${after ? `&after=${encodeURIComponent(after)}` : ''}`,
      );
      expect(page.status).toBe(200);
      paged.push(...ids(page.body.orders));
      after = page.body.next;
    } while (after !== null);
    expect(paged).toEqual(newestFirst);
  });

  it('filters by status and by the period placed, [from, to)', async () => {
    const cancelled = await platform.request('POST', `/commerce/v1/orders/${placed[1]!.id}/cancel`, {
      reason: 'changed mind',
    });
    expect(cancelled.status).toBe(200);
    const email = `email=${encodeURIComponent(shopper)}`;
    expect(ids((await list(`${email}&status=cancelled`)).body.orders)).toEqual([placed[1]!.id]);
    expect(ids((await list(`${email}&status=placed,allocated,cancelled`)).body.orders)).toHaveLength(4);
    const period = `from=${placed[1]!.placedAt}&to=${placed[3]!.placedAt}`;
    const inPeriod = placed.filter(
      (order) => order.placedAt >= placed[1]!.placedAt && order.placedAt < placed[3]!.placedAt,
    );
    expect(ids((await list(`${email}&${period}`)).body.orders)).toEqual(
      inPeriod.map((order) => order.id).reverse(),
    );
  });

  it('answers bad input with problem+json and asks for commerce:read', async () => {
    const reversed = await list(`from=${placed[3]!.placedAt}&to=${placed[0]!.placedAt}`);
    expect([reversed.status, reversed.body.code]).toEqual([422, 'order_period_reversed']);
    expect(reversed.headers.get('content-type')).toContain('application/problem+json');
    const forged = await list('after=not-an-order');
    expect([forged.status, forged.body.code]).toEqual([400, 'invalid_cursor']);
    const limit = await list('limit=201');
    expect([limit.status, limit.body.code]).toEqual([400, 'validation_failed']);

    const reader = JSON.parse(
      await platform.cli(['keys', 'create', '--name', 'customer service', '--scopes', 'commerce:read']),
    ) as { secret: string };
    const asReader = await list(`email=${encodeURIComponent(shopper)}`, {
      authorization: `Bearer ${reader.secret}`,
    });
    expect([asReader.status, asReader.body.orders.length]).toEqual([200, 4]);
    expect((await list('limit=1', { authorization: '' })).status).toBe(401);
  });
});
