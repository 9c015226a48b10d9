import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContextHarness,
  foreignEvent,
  harnessDialects,
  type ContextHarness,
} from '@tillstream/kernel/testing';
import { createErp } from '../src/index.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

describe.each(harnessDialects(pgUrl))('ERP on a real %s database', (dialect) => {
  let erp: ContextHarness;
  const call = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
    erp.app.inject({
      method,
      url,
      ...(payload ? { payload } : {}),
      headers: { authorization: `Bearer ${erp.adminKey}` },
    });

  beforeAll(async () => {
    erp = await createContextHarness(createErp, { dialect, pgUrl, name: 'erp' });
    expect((await call('PUT', '/erp/v1/locations/S1', { name: 'Store 1', kind: 'store' })).statusCode).toBe(
      201,
    );
    expect(
      (await call('PUT', '/erp/v1/products/A', { name: 'Apple', price: { amount: 100, currency: 'EUR' } }))
        .statusCode,
    ).toBe(201);
  });
  afterAll(async () => erp?.close());

  it('versions catalog changes and publishes only real changes', async () => {
    expect(
      (await call('PUT', '/erp/v1/products/A', { name: 'Apple', price: { amount: 100, currency: 'EUR' } }))
        .statusCode,
    ).toBe(200);
    const renamed = await call('PUT', '/erp/v1/products/A', {
      name: 'Green apple',
      price: { amount: 100, currency: 'EUR' },
    });
    expect(renamed.json()).toMatchObject({ version: 2 });
    const upserts = (await erp.published()).filter((event) => event.type === 'erp.product.upserted');
    expect(upserts.map((event) => event.sequence)).toEqual([1, 2]);
  });

  it('records an adjustment once per id, and refuses the id with other content', async () => {
    const adjustment = {
      id: 'rcv-1',
      sku: 'A',
      locationId: 'S1',
      delta: 5,
      reason: 'received',
      occurredAt: '2026-11-01T08:00:00Z',
    };
    expect((await call('POST', '/erp/v1/inventory/adjustments', adjustment)).statusCode).toBe(201);
    const replay = await call('POST', '/erp/v1/inventory/adjustments', adjustment);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ movementKind: 'received', balance: { onHand: 5, version: 1 } });
    const conflict = await call('POST', '/erp/v1/inventory/adjustments', { ...adjustment, delta: 6 });
    expect(conflict.json()).toMatchObject({ status: 409, code: 'adjustment_id_conflict' });
  });

  it('applies a store sale exactly once, even when the event arrives twice, and flags negative stock', async () => {
    const sale = foreignEvent('pos', 'pos.sale.completed', 'sale/s-1', 1, {
      saleId: 's-1',
      storeId: 'S1',
      terminalId: 'T1',
      occurredAt: '2026-11-01T10:00:00.000Z',
      currency: 'EUR',
      total: 700,
      lines: [{ lineNo: 1, sku: 'A', quantity: 7, unitPrice: 100, lineTotal: 700 }],
      payments: [{ method: 'cash', amount: 700 }],
    });
    // Every ERP consumer of sales applies it once (stock, and re-pricing); none applies it twice.
    expect(await erp.deliver('pos', sale)).toBe(
      erp.module.consumers.filter(
        (consumer) => consumer.sources.includes('pos') && consumer.types.includes('pos.sale.completed'),
      ).length,
    );
    expect(await erp.deliver('pos', sale)).toBe(0);
    const inventory = (await call('GET', '/erp/v1/inventory/A')).json();
    expect(inventory.locations).toEqual([
      expect.objectContaining({ locationId: 'S1', onHand: -2, available: -2, version: 2 }),
    ]);
    const exceptions = (await call('GET', '/erp/v1/stock-exceptions')).json().exceptions;
    expect(exceptions).toEqual([
      expect.objectContaining({
        sku: 'A',
        locationId: 'S1',
        onHand: -2,
        cause: { kind: 'sold', reference: 'sale/s-1' },
      }),
    ]);
    const published = await erp.published();
    expect(published.filter((event) => event.type === 'erp.stock.exception_raised')).toHaveLength(1);
    expect(
      published.filter((event) => event.type === 'erp.stock.changed').map((event) => event.sequence),
    ).toEqual([1, 2]);
  });

  it('rolls back the whole adjustment when it would make stock negative', async () => {
    const before = (await erp.published()).length;
    const refused = await call('POST', '/erp/v1/inventory/adjustments', {
      id: 'shrink-1',
      sku: 'A',
      locationId: 'S1',
      delta: -1,
      reason: 'shrinkage',
      occurredAt: '2026-11-01T11:00:00Z',
    });
    expect(refused.json()).toMatchObject({ status: 409, code: 'adjustment_below_zero' });
    expect(await erp.published()).toHaveLength(before);
    expect((await call('GET', '/erp/v1/inventory/A')).json().locations[0].onHand).toBe(-2);
  });
});
