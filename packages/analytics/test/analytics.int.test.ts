import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContextHarness,
  foreignEvent,
  harnessDialects,
  type ContextHarness,
  uniqueName,
} from '@tillstream/kernel/testing';
import { createAnalytics } from '../src/index.js';
import { pgUrl, saleEvent } from './analytics-rig.js';

/** The analytics context on a real database, fed events by hand as the event log would deliver them. */
describe.each(harnessDialects(pgUrl))('analytics on %s', (dialect) => {
  let analytics: ContextHarness;
  const report = async (query: string) => {
    const response = await analytics.api('GET', `/sales?${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as { rows: Array<Record<string, unknown>>; next: string | null };
  };

  beforeAll(async () => {
    analytics = await createContextHarness((deps) => createAnalytics(deps), {
      dialect,
      pgUrl,
      name: 'analytics',
    });
  });
  afterAll(async () => analytics?.close());

  it('counts a sale once however often it is delivered, in the hour it happened', async () => {
    const store = uniqueName('S');
    const sale = saleEvent(store, '2026-03-02T10:15:00+01:00', [['TEE', 2, 1000, 300]]);
    await analytics.deliver('pos', sale);
    await analytics.deliverAll('pos', [sale, sale]);
    // An offline till's sale of the hour before, synced late: its own bucket, not the hour it arrived in.
    await analytics.deliver('pos', saleEvent(store, '2026-03-02T08:40:00Z', [['MUG', 1, 500]]));
    const { rows } = await report(
      `from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z&granularity=hour&locationId=${store}`,
    );
    expect(rows).toEqual([
      expect.objectContaining({ period: '2026-03-02T08:00:00Z', net: 500, transactions: 1 }),
      expect.objectContaining({
        period: '2026-03-02T09:00:00Z',
        channel: 'pos',
        locationId: store,
        currency: 'EUR',
        gross: 2000,
        discounts: 300,
        net: 1700,
        transactions: 1,
        units: 2,
        averageBasket: 1700,
      }),
    ]);
  });

  it('sums a day of store and web sales, returns and refunds, and ranks the products', async () => {
    const store = uniqueName('S');
    const tee = uniqueName('TEE');
    const mug = uniqueName('MUG');
    await analytics.deliverAll('pos', [
      saleEvent(store, '2026-04-01T09:00:00Z', [[tee, 3, 1000]]),
      saleEvent(store, '2026-04-01T15:00:00Z', [
        [mug, 5, 400],
        [tee, 1, 1000, 100],
      ]),
      foreignEvent('pos', 'pos.return.completed', `return/${uniqueName('r')}`, 1, {
        returnId: uniqueName('r'),
        storeId: store,
        terminalId: 't1',
        occurredAt: '2026-04-01T16:00:00Z',
        currency: 'EUR',
        originalSaleId: null,
        lines: [
          { lineNo: 1, sku: tee, quantity: 1, unitPrice: 1000, lineTotal: 1000, disposition: 'restock' },
        ],
        refunds: [{ method: 'cash', amount: 1000 }],
        total: 1000,
      }),
    ]);
    const orderId = uniqueName('order');
    await analytics.deliverAll('commerce', [
      foreignEvent('commerce', 'commerce.order.placed', `order/${orderId}`, 1, {
        orderId,
        cartId: 'c',
        reservationId: 'h',
        channel: 'web',
        email: 'a@example.com',
        currency: 'EUR',
        lines: [{ lineNo: 1, sku: mug, quantity: 2, unitPrice: 400, lineTotal: 800 }],
        total: 800,
        payment: { method: 'test', reference: 'p' },
        placedAt: '2026-04-01T20:00:00Z',
      }),
      // One mug comes back, priced by commerce; its refund is the order's, one amount naming no lines.
      foreignEvent('commerce', 'commerce.return.received', `return/${orderId}-r1`, 1, {
        returnId: `${orderId}-r1`,
        orderId,
        locationId: null,
        lines: [{ sku: mug, quantity: 1, disposition: 'restock', value: 400, addedTax: 0 }],
        refund: { currency: 'EUR', amount: 400 },
        receivedAt: '2026-04-01T20:50:00Z',
      }),
      foreignEvent('commerce', 'commerce.order.refunded', `order/${orderId}`, 2, {
        orderId,
        refundId: 'f',
        currency: 'EUR',
        amount: 400,
        refunded: 400,
        reason: 'returned',
        returnId: `${orderId}-r1`,
        payment: { method: 'test', reference: 'p' },
        refundedAt: '2026-04-01T21:00:00Z',
      }),
    ]);
    const day = 'from=2026-04-01T00:00:00Z&to=2026-04-02T00:00:00Z&granularity=day';
    const store_ = (await report(`${day}&locationId=${store}`)).rows;
    expect(store_).toEqual([
      expect.objectContaining({
        period: '2026-04-01T00:00:00Z',
        gross: 6000,
        discounts: 100,
        net: 5900,
        returns: 1000,
        netAfterReturns: 4900,
        transactions: 2,
        units: 9,
        returnedUnits: 1,
        refunds: 1,
        averageBasket: 2950,
      }),
    ]);
    const web = (await report(`${day}&channel=web`)).rows;
    expect(web).toEqual([
      expect.objectContaining({
        locationId: null,
        net: 800,
        returns: 400,
        netAfterReturns: 400,
        transactions: 1,
        returnedUnits: 1,
      }),
    ]);
    const top = await analytics.api(
      'GET',
      `/products/top?from=2026-04-01T00:00:00Z&to=2026-04-02T00:00:00Z&currency=EUR&by=net&limit=2`,
    );
    expect(top.status).toBe(200);
    expect(top.body.products).toEqual([
      { sku: tee, units: 4, net: 3900, returnedUnits: 1, returns: 1000 },
      { sku: mug, units: 7, net: 2800, returnedUnits: 1, returns: 400 },
    ]);
    const byUnits = await analytics.api(
      'GET',
      `/products/top?from=2026-04-01T00:00:00Z&to=2026-04-02T00:00:00Z&currency=EUR&limit=1&locationId=${store}`,
    );
    expect(byUnits.body.products).toEqual([expect.objectContaining({ sku: mug, units: 5 })]);
  });

  it('counts each promotion’s uses, units and discount over stores and the web', async () => {
    const store = uniqueName('S');
    const promotionId = uniqueName('spring');
    const promoted = saleEvent(store, '2026-06-01T10:00:00Z', [['TEE', 2, 1000, 300]]);
    const line = (promoted.data as { lines: Array<Record<string, unknown>> }).lines[0]!;
    line.promotions = [{ promotionId, amount: 300 }];
    await analytics.deliverAll('pos', [promoted, promoted]);
    const orderId = uniqueName('order');
    await analytics.deliver(
      'commerce',
      foreignEvent('commerce', 'commerce.order.placed', `order/${orderId}`, 1, {
        orderId,
        cartId: 'c',
        reservationId: 'h',
        channel: 'web',
        email: 'a@example.com',
        currency: 'EUR',
        lines: [
          {
            lineNo: 1,
            sku: 'MUG',
            quantity: 1,
            unitPrice: 400,
            lineTotal: 300,
            promotions: [{ promotionId, amount: 100 }],
          },
        ],
        total: 300,
        payment: { method: 'test', reference: 'p' },
        placedAt: '2026-06-01T11:00:00Z',
      }),
    );
    const period = 'from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z';
    const all = await analytics.api('GET', `/promotions?${period}`);
    expect(all.status).toBe(200);
    expect(all.body.promotions).toContainEqual({
      promotionId,
      currency: 'EUR',
      uses: 2,
      units: 3,
      discount: 400,
    });
    const inStore = await analytics.api('GET', `/promotions?${period}&locationId=${store}`);
    expect(inStore.body.promotions).toEqual([
      { promotionId, currency: 'EUR', uses: 1, units: 2, discount: 300 },
    ]);
  });

  it('pages through rows with a cursor', async () => {
    const store = uniqueName('S');
    for (const hour of ['01', '02', '03'])
      await analytics.deliver('pos', saleEvent(store, `2026-05-01T${hour}:10:00Z`, [['X', 1, 100]]));
    const query = `from=2026-05-01T00:00:00Z&to=2026-05-02T00:00:00Z&granularity=hour&locationId=${store}&limit=2`;
    const first = await report(query);
    expect(first.rows.map((row) => row.period)).toEqual(['2026-05-01T01:00:00Z', '2026-05-01T02:00:00Z']);
    const second = await report(`${query}&after=${first.next}`);
    expect(second.rows.map((row) => row.period)).toEqual(['2026-05-01T03:00:00Z']);
    expect(second.next).toBeNull();
  });

  it.each([
    ['from after to', 'from=2026-05-02T00:00:00Z&to=2026-05-01T00:00:00Z', 'invalid_period'],
    [
      'too long by the hour',
      'from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z&granularity=hour',
      'period_too_long',
    ],
    [
      'an unknown granularity',
      'from=2026-05-01T00:00:00Z&to=2026-05-02T00:00:00Z&granularity=week',
      'validation_failed',
    ],
    ['a forged cursor', 'from=2026-05-01T00:00:00Z&to=2026-05-02T00:00:00Z&after=Zm9v', 'invalid_cursor'],
  ])('answers %s with problem+json', async (_name, query, code) => {
    const response = await analytics.api('GET', `/sales?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(code);
  });

  it('answers a period of days the zone skipped with an empty report on every route', async () => {
    // Samoa went from 29 to 31 December 2011: the 30th holds no time at all there.
    const skipped = 'from=2011-12-30&to=2011-12-31&timeZone=Pacific/Apia';
    for (const [route, list] of [
      ['/sales', 'rows'],
      ['/products/top', 'products'],
      ['/promotions', 'promotions'],
    ] as const) {
      const answer = await analytics.api(
        'GET',
        `${route}?${skipped}${route === '/sales' ? '' : '&currency=EUR'}`,
      );
      expect([answer.status, answer.body[list]], route).toEqual([200, []]);
    }
  });

  it('needs the analytics:read scope', async () => {
    const { secret } = await analytics.apiKeys.create({ name: 'till', scopes: ['pos:read', 'pos:write'] });
    const url = '/analytics/v1/sales?from=2026-05-01T00:00:00Z&to=2026-05-02T00:00:00Z';
    const denied = await analytics.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(denied.statusCode).toBe(403);
    const reader = await analytics.apiKeys.create({ name: 'head office', scopes: ['analytics:read'] });
    const allowed = await analytics.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${reader.secret}` },
    });
    expect(allowed.statusCode).toBe(200);
  });
});
