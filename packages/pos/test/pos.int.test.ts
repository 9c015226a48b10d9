import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { announceLocation, announceProduct, pgUrl, startPos } from './pos-rig.js';

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
    pos = await startPos(dialect);
    await announceLocation(pos, 'S1');
    await announceLocation(pos, 'W1', 'warehouse', 'DC');
    await announceProduct(pos, 'A', 150);
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
    await announceLocation(pos, 'S2', 'store', 'Store 2');
    expect((await post(sale({ terminalId: 'T7' }))).statusCode).toBe(201);
    expect((await post(sale({ terminalId: 'T7', storeId: 'S2' }))).json()).toMatchObject({
      status: 409,
      code: 'terminal_store_mismatch',
    });
  });
});
