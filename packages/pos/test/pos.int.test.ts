import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import {
  createContextHarness,
  foreignEvent,
  harnessDialects,
  type ContextHarness,
} from '@tillstream/kernel/testing';
import { createPos, type ErpLookup } from '../src/index.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;
/** ERP is not reachable in this suite: POS must rely on what the events told it. */
const noErp: ErpLookup = {
  location: async () => null,
  product: async () => null,
  pricingSnapshot: async () => null,
};

describe.each(harnessDialects(pgUrl))('POS on a real %s database', (dialect) => {
  let pos: ContextHarness;
  const post = (payload: object) =>
    pos.app.inject({
      method: 'POST',
      url: '/pos/v1/sales',
      payload,
      headers: { authorization: `Bearer ${pos.adminKey}` },
    });
  const sale = (overrides: object = {}) => ({
    id: uuidv7(),
    storeId: 'S1',
    terminalId: 'T1',
    occurredAt: '2026-11-01T10:00:00Z',
    currency: 'EUR',
    lines: [{ sku: 'A', quantity: 2, unitPrice: 150 }],
    payments: [{ method: 'cash', amount: 300 }],
    ...overrides,
  });

  beforeAll(async () => {
    pos = await createContextHarness((deps) => createPos({ ...deps, erp: noErp }), {
      dialect,
      pgUrl,
      name: 'pos',
    });
    await pos.deliver(
      'erp',
      foreignEvent('erp', 'erp.location.upserted', 'location/S1', 1, {
        locationId: 'S1',
        name: 'Store',
        kind: 'store',
        version: 1,
      }),
    );
    await pos.deliver(
      'erp',
      foreignEvent('erp', 'erp.location.upserted', 'location/W1', 1, {
        locationId: 'W1',
        name: 'DC',
        kind: 'warehouse',
        version: 1,
      }),
    );
    await pos.deliver(
      'erp',
      foreignEvent('erp', 'erp.product.upserted', 'product/A', 1, {
        sku: 'A',
        name: 'Apple',
        price: { amount: 150, currency: 'EUR' },
        kind: 'standard',
        backorderable: false,
        version: 1,
      }),
    );
  });
  afterAll(async () => pos?.close());

  it('stores a sale under its id and writes pos.sale.completed in the same transaction', async () => {
    const body = sale();
    const created = await post(body);
    expect(created.statusCode).toBe(201);
    const events = (await pos.published()).filter((event) => event.type === 'pos.sale.completed');
    expect(events.at(-1)).toMatchObject({
      subject: `sale/${body.id}`,
      data: { saleId: body.id, total: 300, storeId: 'S1' },
    });
    const replay = await post(body);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual(created.json());
    expect((await pos.published()).filter((event) => event.type === 'pos.sale.completed')).toHaveLength(
      events.length,
    );
  });

  it('knows stores and SKUs only from ERP events when ERP cannot be asked', async () => {
    expect((await post(sale({ storeId: 'S9' }))).json().code).toBe('unknown_location');
    expect((await post(sale({ storeId: 'W1' }))).json().code).toBe('location_kind_mismatch');
    expect((await post(sale({ lines: [{ sku: 'B', quantity: 1, unitPrice: 300 }] }))).json()).toMatchObject({
      code: 'unknown_sku',
      skus: ['B'],
    });
  });

  it('registers a terminal at its first store and refuses it elsewhere', async () => {
    await pos.deliver(
      'erp',
      foreignEvent('erp', 'erp.location.upserted', 'location/S2', 1, {
        locationId: 'S2',
        name: 'Store 2',
        kind: 'store',
        version: 1,
      }),
    );
    expect((await post(sale({ terminalId: 'T7' }))).statusCode).toBe(201);
    expect((await post(sale({ terminalId: 'T7', storeId: 'S2' }))).json()).toMatchObject({
      status: 409,
      code: 'terminal_store_mismatch',
    });
  });
});
