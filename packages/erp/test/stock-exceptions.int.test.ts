import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContextHarness,
  foreignEvent,
  harnessDialects,
  type ContextHarness,
} from '@tillstream/kernel/testing';
import { createErp } from '../src/index.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

describe.each(harnessDialects(pgUrl))('ERP stock exceptions on a real %s database', (dialect) => {
  let erp: ContextHarness;
  const call = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
    erp.api(method, url, payload);
  /** A store sale of one unit of a SKU with no stock: on-hand goes to −1 and an exception is raised. */
  const oversell = async (sku: string) => {
    await call('PUT', `/products/${sku}`, { name: sku, price: { amount: 100, currency: 'EUR' } });
    await erp.deliver(
      'pos',
      foreignEvent('pos', 'pos.sale.completed', `sale/s-${sku}`, 1, {
        saleId: `s-${sku}`,
        storeId: 'S1',
        terminalId: 'T1',
        occurredAt: '2026-11-01T08:00:00.000Z',
        currency: 'EUR',
        total: 100,
        lines: [{ lineNo: 1, sku, quantity: 1, unitPrice: 100, lineTotal: 100 }],
        payments: [{ method: 'cash', amount: 100 }],
      }),
    );
  };
  /** Every page of a listing, following `next` (a bounded walk: a cursor that never ends fails the test). */
  const all = async (query: string, limit: number) => {
    const pages: string[][] = [];
    let after = '';
    for (let pageNo = 0; pageNo < 10; pageNo += 1) {
      const page = await call('GET', `/stock-exceptions?limit=${limit}&after=${after}${query}`);
      expect(page.status).toBe(200);
      pages.push(page.body.exceptions.map((exception: { sku: string }) => exception.sku));
      if (typeof page.body.next !== 'string') return pages;
      after = page.body.next;
    }
    throw new Error('the listing never ends');
  };

  beforeAll(async () => {
    erp = await createContextHarness(createErp, { dialect, pgUrl, name: 'erp' });
    await call('PUT', '/locations/S1', { name: 'Store 1', kind: 'store' });
    // Two raised in the same millisecond, so the cursor's tie-break on id is exercised too.
    for (const sku of ['X1', 'X2']) await oversell(sku);
    for (const sku of ['X3', 'X4', 'X5']) {
      erp.clock.advance(1_000);
      await oversell(sku);
    }
  });
  afterAll(async () => erp?.close());

  it('pages through every open exception, oldest first, by a keyset cursor', async () => {
    expect(await all('', 2)).toEqual([['X1', 'X2'], ['X3', 'X4'], ['X5']]);
    expect(await all('', 5)).toEqual([['X1', 'X2', 'X3', 'X4', 'X5']]);
    const first = await call('GET', '/stock-exceptions?limit=2');
    expect(first.body.exceptions[0]).toMatchObject({
      sku: 'X1',
      locationId: 'S1',
      onHand: -1,
      cause: { kind: 'sold', reference: 'sale/s-X1' },
      resolvedAt: null,
    });
    // One raised after a page was read shows up on a later page, never lost behind the first ones.
    erp.clock.advance(1_000);
    await oversell('X6');
    const rest = await call('GET', `/stock-exceptions?limit=10&after=${first.body.next}`);
    expect(rest.body.exceptions.map((exception: { sku: string }) => exception.sku)).toEqual([
      'X3',
      'X4',
      'X5',
      'X6',
    ]);
    expect(rest.body.next).toBeNull();
  });

  it('resolves an exception once, and lists open, resolved or all of them', async () => {
    const [x2] = (await call('GET', '/stock-exceptions?limit=2&after=')).body.exceptions.slice(1);
    erp.clock.advance(60_000);
    const resolved = await call('POST', `/stock-exceptions/${x2.id}/resolve`);
    expect(resolved).toMatchObject({
      status: 200,
      body: { id: x2.id, sku: 'X2', resolvedAt: erp.clock.now().toISOString() },
    });
    erp.clock.advance(60_000);
    const again = await call('POST', `/stock-exceptions/${x2.id}/resolve`);
    expect(again).toMatchObject({ status: 200, body: { resolvedAt: resolved.body.resolvedAt } });

    expect((await all('', 2)).flat()).toEqual(['X1', 'X3', 'X4', 'X5', 'X6']);
    expect((await all('&status=resolved', 2)).flat()).toEqual(['X2']);
    expect((await all('&status=all', 4)).flat()).toEqual(['X1', 'X2', 'X3', 'X4', 'X5', 'X6']);
    // A resolved exception is still a place to page on from.
    const afterResolved = await call('GET', `/stock-exceptions?after=${x2.id}&limit=1`);
    expect(afterResolved.body.exceptions.map((exception: { sku: string }) => exception.sku)).toEqual(['X3']);
  });

  it('answers problems for a bad cursor, status or limit and an unknown exception', async () => {
    expect(await call('GET', '/stock-exceptions?after=no-such-exception')).toMatchObject({
      status: 400,
      body: { code: 'invalid_cursor' },
    });
    expect(await call('GET', '/stock-exceptions?status=closed')).toMatchObject({
      status: 400,
      body: { code: 'validation_failed' },
    });
    expect(await call('GET', '/stock-exceptions?limit=0')).toMatchObject({
      status: 400,
      body: { code: 'validation_failed' },
    });
    expect(await call('POST', '/stock-exceptions/no-such-exception/resolve')).toMatchObject({
      status: 404,
      body: { code: 'stock_exception_not_found' },
    });
  });

  it('lets only a key with erp:write resolve', async () => {
    const reader = (await erp.apiKeys.create({ name: 'reader', scopes: ['erp:read'] })).secret;
    const [open] = (await call('GET', '/stock-exceptions?limit=1')).body.exceptions;
    const response = await erp.app.inject({
      method: 'POST',
      url: `/erp/v1/stock-exceptions/${open.id}/resolve`,
      headers: { authorization: `Bearer ${reader}` },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'insufficient_scope' });
  });
});
