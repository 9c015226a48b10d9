import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { foreignEvent, harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { registerTerminal } from '../src/sales/sale.store.js';
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

  it('judges a store by what ERP announced last, at most a second after the announcement', async () => {
    await announceLocation(pos, 'S5', 'store', 'Pop-up');
    expect((await post(sale({ storeId: 'S5', terminalId: 'T5' }))).statusCode).toBe(201);
    await pos.deliver(
      'erp',
      foreignEvent('erp', 'erp.location.upserted', 'location/S5', 2, {
        locationId: 'S5',
        name: 'Pop-up, now a stock room',
        kind: 'warehouse',
        version: 2,
      }),
    );
    pos.clock.advance(1_000);
    expect((await post(sale({ storeId: 'S5', terminalId: 'T5' }))).json()).toMatchObject({
      status: 422,
      code: 'location_kind_mismatch',
    });
    // A SKU announced after a sale named it unknown is sold at once: only known SKUs are remembered.
    expect((await post(sale({ lines: [{ sku: 'LATE', quantity: 1, unitPrice: 300 }] }))).json().code).toBe(
      'unknown_sku',
    );
    await announceProduct(pos, 'LATE', 300);
    expect((await post(sale({ lines: [{ sku: 'LATE', quantity: 1, unitPrice: 300 }] }))).statusCode).toBe(
      201,
    );
  });

  it('registers a terminal at its first store and refuses it elsewhere', async () => {
    await announceLocation(pos, 'S2', 'store', 'Store 2');
    expect((await post(sale({ terminalId: 'T7' }))).statusCode).toBe(201);
    expect((await post(sale({ terminalId: 'T7', storeId: 'S2' }))).json()).toMatchObject({
      status: 409,
      code: 'terminal_store_mismatch',
    });
  });

  it('refuses a terminal at another store when its first two sales race to register it', async () => {
    // The first registration holds its transaction open; the second looks the terminal up, finds nothing
    // committed, and its insert must then wait, conflict, and read the winner's store.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let registered: () => void = () => {};
    const firstRegistered = new Promise<void>((resolve) => (registered = resolve));
    const first = pos.db.transaction(async (tx) => {
      await registerTerminal(tx, 'T8', 'S1', '2026-11-01T10:00:00.000Z');
      registered();
      await held;
    });
    await firstRegistered;
    // Its refusal is caught at once: it may come while the test still awaits the first transaction.
    const secondRefusal = pos.db
      .transaction((tx) => registerTerminal(tx, 'T8', 'S2', '2026-11-01T10:00:00.000Z'))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    await first;
    expect(await secondRefusal).toMatchObject({ code: 'terminal_store_mismatch' });
    expect((await post(sale({ terminalId: 'T8', storeId: 'S1' }))).statusCode).toBe(201);
  });
});
