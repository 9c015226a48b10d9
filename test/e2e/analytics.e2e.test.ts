import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { ENGINES } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { uniqueName } from '@tillstream/kernel/testing';
import { seedShop, type Shop } from '../support/fixtures.js';

type Row = Record<string, any>;

const hourOf = (instant: Date) => `${instant.toISOString().slice(0, 13)}:00:00Z`;

/** Kathmandu keeps +05:45 all year (since 1986): its midnight of ten days ago, and the local dates around it. */
const KATHMANDU_OFFSET_MS = (5 * 60 + 45) * 60_000;
const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
const kathmanduMidnight = Date.parse(`${tenDaysAgo}T00:00:00Z`) - KATHMANDU_OFFSET_MS;
const dateBefore = new Date(kathmanduMidnight - 12 * 3_600_000 + KATHMANDU_OFFSET_MS)
  .toISOString()
  .slice(0, 10);
const dateAfter = new Date(kathmanduMidnight + 36 * 3_600_000 + KATHMANDU_OFFSET_MS)
  .toISOString()
  .slice(0, 10);

/**
 * Analytics over the whole platform: store sales (one with a promotion's discount, one rung up offline hours
 * ago and synced now), a return, and web checkouts (one cancelled, so refunded) reach the reports through the
 * published events alone, each in the hour it happened.
 */
describe.each(ENGINES)('analytics reports (%s)', (engine) => {
  let platform: TestPlatform;
  let shop: Shop;
  const now = new Date();
  const storePromotion = uniqueName('tees-20');
  const webPromotion = uniqueName('caps-10');
  const earlier = new Date(now.getTime() - 3 * 3_600_000);
  const period = `from=${encodeURIComponent(new Date(now.getTime() - 86_400_000).toISOString())}&to=${encodeURIComponent(new Date(now.getTime() + 7_200_000).toISOString())}`;

  const ok = (response: { status: number; body: any }, what: string) => {
    if (response.status >= 300)
      throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };

  /** The report's rows once the consumer has caught up with `done`. */
  const rowsWhen = async (query: string, done: (rows: Row[]) => boolean) =>
    eventually(
      async () => {
        const { status, body } = await platform.request('GET', `/analytics/v1/sales?${query}`);
        return status === 200 && done(body.rows) ? (body.rows as Row[]) : null;
      },
      30_000,
      () => `analytics caught up with ${query}`,
    );

  beforeAll(async () => {
    platform = await startPlatform(engine);
    shop = await seedShop(platform, { skuCount: 3, stock: 50, price: 500 });
    const [tee, mug, cap] = shop.skus as [string, string, string];
    // 20 % off tees in the stores, 10 % off caps online: promotions ERP knows, so it prices both alike.
    const promotion = async (id: string, channel: string, sku: string, basisPoints: number) =>
      ok(
        await platform.request('PUT', `/erp/v1/promotions/${id}`, {
          name: id,
          priority: 0,
          stacking: 'stackable',
          channels: [channel],
          target: { skus: [sku] },
          effect: { type: 'percent_off_lines', basisPoints },
        }),
        'promotion',
      );
    await promotion(storePromotion, 'pos', tee, 2000);
    await promotion(webPromotion, 'web', cap, 1000);
    const sale = (id: string, occurredAt: Date, lines: object[], total: number) =>
      platform.request('POST', '/pos/v1/sales', {
        id,
        storeId: shop.storeId,
        terminalId: 'till-1',
        occurredAt: occurredAt.toISOString(),
        currency: 'EUR',
        lines,
        payments: [{ method: 'card', amount: total }],
      });
    const promoted = uuidv7();
    // 3 tees at 500 with 300 off for a promotion, and a mug: gross 2,000, net 1,700.
    ok(
      await sale(
        promoted,
        now,
        [
          {
            sku: tee,
            quantity: 3,
            unitPrice: 500,
            discount: 300,
            promotions: [{ promotionId: storePromotion, amount: 300 }],
          },
          { sku: mug, quantity: 1, unitPrice: 500 },
        ],
        1700,
      ),
      'promoted sale',
    );
    ok(await sale(uuidv7(), earlier, [{ sku: mug, quantity: 2, unitPrice: 500 }], 1000), 'offline sale');
    // Ten minutes before and after midnight in Kathmandu, ten days ago: the same UTC day, two local ones.
    for (const [minutes, quantity] of [
      [-10, 1],
      [10, 2],
    ] as const)
      ok(
        await sale(
          uuidv7(),
          new Date(kathmanduMidnight + minutes * 60_000),
          [{ sku: mug, quantity, unitPrice: 500 }],
          500 * quantity,
        ),
        'sale around midnight in Kathmandu',
      );
    ok(
      await platform.request('POST', '/pos/v1/returns', {
        id: uuidv7(),
        storeId: shop.storeId,
        terminalId: 'till-1',
        occurredAt: now.toISOString(),
        currency: 'EUR',
        originalSaleId: promoted,
        lines: [{ sku: tee, quantity: 1, disposition: 'restock', originalLineNo: 1 }],
        refunds: [{ method: 'card', amount: 400 }],
      }),
      'return',
    );

    // The web sells from warehouses: stock the shop's warehouse.
    for (const sku of [tee, cap])
      ok(
        await platform.request('POST', '/erp/v1/inventory/adjustments', {
          id: uniqueName('receipt'),
          sku,
          locationId: shop.warehouseId,
          delta: 10,
          reason: 'received',
          occurredAt: '2026-11-01T08:00:00Z',
        }),
        'web stock',
      );
    const order = async (quantity: number, sku = tee, discounted = false) => {
      const cart = ok(await platform.request('POST', '/commerce/v1/carts', {}), 'cart');
      await eventually(
        async () =>
          (await platform.request('POST', `/commerce/v1/carts/${cart.id}/lines`, { sku, quantity }))
            .status === 200,
        20_000,
        `the storefront sells ${sku}`,
      );
      if (discounted)
        await eventually(
          async () =>
            (await platform.request('GET', `/commerce/v1/carts/${cart.id}`)).body.quote?.lines[0]
              ?.discountAmount > 0,
          20_000,
          'the storefront quotes the promotion',
        );
      return ok(
        await platform.request('POST', `/commerce/v1/carts/${cart.id}/checkout`, {
          email: 'shopper@example.com',
          payment: { method: 'test' },
        }),
        'checkout',
      );
    };
    await order(2);
    await order(2, cap, true);
    const cancelled = await order(1);
    ok(
      await platform.request('POST', `/commerce/v1/orders/${cancelled.id}/cancel`, {
        reason: 'changed mind',
      }),
      'cancel',
    );
  }, 120_000);
  afterAll(async () => platform?.stop());

  it('shows the store’s sales, discounts and return, the late sale in its own hour', async () => {
    const rows = await rowsWhen(
      `${period}&granularity=hour&locationId=${shop.storeId}`,
      (found) =>
        found.reduce((sum, row) => sum + row.transactions, 0) === 2 && found.some((row) => row.refunds > 0),
    );
    const total = (field: string) => rows.reduce((sum, row) => sum + row[field], 0);
    expect({
      gross: total('gross'),
      discounts: total('discounts'),
      net: total('net'),
      returns: total('returns'),
      netAfterReturns: total('netAfterReturns'),
      units: total('units'),
      returnedUnits: total('returnedUnits'),
    }).toEqual({
      gross: 3000,
      discounts: 300,
      net: 2700,
      returns: 400,
      netAfterReturns: 2300,
      units: 6,
      returnedUnits: 1,
    });
    expect(rows.find((row) => row.period === hourOf(earlier))).toMatchObject({
      channel: 'pos',
      currency: 'EUR',
      net: 1000,
      transactions: 1,
      averageBasket: 1000,
    });
  });

  it('shows the web orders and the cancelled one’s refund, and ranks the products', async () => {
    const rows = await rowsWhen(`${period}&granularity=day&channel=web`, (found) =>
      found.some((row) => row.refunds > 0),
    );
    const total = (field: string) => rows.reduce((sum, row) => sum + row[field], 0);
    // 2 tees, 2 caps at 10 % off (900) and a cancelled tee: refunded in full.
    expect([
      total('transactions'),
      total('units'),
      total('net'),
      total('discounts'),
      total('returns'),
    ]).toEqual([3, 5, 2400, 100, 500]);
    expect(rows.every((row) => row.locationId === null)).toBe(true);
    const { status, body } = await platform.request(
      'GET',
      `/analytics/v1/products/top?${period}&currency=EUR&by=units`,
    );
    expect(status).toBe(200);
    // 3 tees in store and 3 online; 3 mugs in store.
    expect(body.products).toEqual([
      { sku: shop.skus[0], units: 6, net: 2700, returnedUnits: 1, returns: 400 },
      { sku: shop.skus[1], units: 3, net: 1500, returnedUnits: 0, returns: 0 },
      { sku: shop.skus[2], units: 2, net: 900, returnedUnits: 0, returns: 0 },
    ]);
  });

  it('counts how often each promotion was applied, in store and online, and what it took off', async () => {
    const usage = await eventually(
      async () => {
        const { status, body } = await platform.request('GET', `/analytics/v1/promotions?${period}`);
        return status === 200 && body.promotions.length === 2 ? body.promotions : null;
      },
      30_000,
      'both promotions counted',
    );
    expect(usage).toEqual(
      expect.arrayContaining([
        { promotionId: storePromotion, currency: 'EUR', uses: 1, units: 3, discount: 300 },
        { promotionId: webPromotion, currency: 'EUR', uses: 1, units: 2, discount: 100 },
      ]),
    );
  });

  it('reports the store’s days in the time zone asked for, one offset by a quarter hour', async () => {
    const local = `from=${dateBefore}&to=${dateAfter}&timeZone=Asia/Kathmandu&locationId=${shop.storeId}`;
    const rows = await rowsWhen(
      local,
      (found) => found.reduce((sum, row) => sum + row.transactions, 0) === 2,
    );
    const localDate = (offsetHours: number) =>
      new Date(kathmanduMidnight + offsetHours * 3_600_000 + KATHMANDU_OFFSET_MS).toISOString().slice(0, 10);
    expect(rows.map((row) => [row.period, row.net, row.transactions])).toEqual([
      [`${localDate(-1)}T00:00:00+05:45`, 500, 1],
      [`${localDate(1)}T00:00:00+05:45`, 1000, 1],
    ]);
    // The same two sales by the UTC day: both on the day Kathmandu's midnight fell in.
    const { body } = await platform.request(
      'GET',
      `/analytics/v1/sales?from=${dateBefore}&to=${dateAfter}&locationId=${shop.storeId}`,
    );
    expect(body.rows.map((row: Row) => [row.period, row.net, row.transactions])).toEqual([
      [`${new Date(kathmanduMidnight).toISOString().slice(0, 10)}T00:00:00Z`, 1500, 2],
    ]);
  });

  it('reports the store’s days in the zone its ERP location keeps when the report names none', async () => {
    const location = ok(await platform.request('GET', `/erp/v1/locations`), 'locations').locations.find(
      (candidate: Row) => candidate.locationId === shop.storeId,
    );
    const put = (body: Row) => platform.request('PUT', `/erp/v1/locations/${shop.storeId}`, body);
    const refused = await put({ name: location.name, kind: 'store', timeZone: 'Asia/Atlantis' });
    expect([refused.status, refused.body.code]).toEqual([400, 'unknown_time_zone']);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const zoned = await put({ name: location.name, kind: 'store', timeZone: 'Asia/Kathmandu' });
    expect([zoned.status, zoned.body.timeZone, zoned.body.version]).toEqual([
      200,
      'Asia/Kathmandu',
      location.version + 1,
    ]);

    const storeDays = `from=${dateBefore}&to=${dateAfter}&locationId=${shop.storeId}`;
    const rows = await rowsWhen(storeDays, (found) => found.length === 2);
    expect(rows.map((row) => row.period.slice(10))).toEqual(['T00:00:00+05:45', 'T00:00:00+05:45']);
    expect((await platform.request('GET', `/analytics/v1/sales?${storeDays}`)).body.timeZone).toBe(
      'Asia/Kathmandu',
    );
    ok(await put({ name: location.name, kind: 'store' }), 'the zone taken off again');
    await rowsWhen(storeDays, (found) => found.length === 1);
  });

  it.each([
    ['an unknown time zone', 'from=2026-05-01&to=2026-05-02&timeZone=Europe/Atlantis', 'unknown_time_zone'],
    [
      'two time zones',
      'from=2026-05-01&to=2026-05-02&timeZone=UTC&timeZone=Asia/Kathmandu',
      'validation_failed',
    ],
    ['a date that is not one', 'from=2026-13-01&to=2026-05-02&timeZone=UTC', 'validation_failed'],
  ])('refuses %s with problem+json', async (_name, query, code) => {
    const { status, headers, body } = await platform.request('GET', `/analytics/v1/sales?${query}`);
    expect([status, body.code]).toEqual([400, code]);
    expect(headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses a backwards period with problem+json', async () => {
    const { status, body } = await platform.request(
      'GET',
      '/analytics/v1/sales?from=2026-05-02T00:00:00Z&to=2026-05-01T00:00:00Z',
    );
    expect([status, body.code]).toEqual([400, 'invalid_period']);
  });
});
