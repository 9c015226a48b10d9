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

  it('keeps a store’s cash rounding, publishes it with the location, and refuses a bad one before storing anything', async () => {
    const put = (body: object) => call('PUT', '/erp/v1/locations/CR-S1', body);
    const set = await put({
      name: 'Dam',
      kind: 'store',
      timeZone: 'Europe/Amsterdam',
      cashRoundingIncrement: 5,
    });
    expect([set.statusCode, set.json()]).toEqual([
      201,
      {
        locationId: 'CR-S1',
        name: 'Dam',
        kind: 'store',
        timeZone: 'Europe/Amsterdam',
        cashRoundingIncrement: 5,
        version: 1,
      },
    ]);
    for (const bad of [0, 1, 2.5, -5, '5', 100_001]) {
      const refused = await put({ name: 'Dam', kind: 'store', cashRoundingIncrement: bad });
      expect([refused.statusCode, refused.json().code]).toEqual([400, 'validation_failed']);
    }
    const warehouse = await call('PUT', '/erp/v1/locations/CR-W1', {
      name: 'DC',
      kind: 'warehouse',
      cashRoundingIncrement: 5,
    });
    expect([warehouse.statusCode, warehouse.json().code]).toEqual([400, 'validation_failed']);
    const cleared = await put({ name: 'Dam', kind: 'store', timeZone: 'Europe/Amsterdam' });
    expect(cleared.json()).toEqual({
      locationId: 'CR-S1',
      name: 'Dam',
      kind: 'store',
      timeZone: 'Europe/Amsterdam',
      version: 2,
    });
    expect((await call('GET', '/erp/v1/locations/CR-S1')).json()).toEqual(cleared.json());
    const upserts = (await erp.published())
      .filter((event) => event.subject === 'location/CR-S1')
      .map((event) => event.data as { version: number; cashRoundingIncrement?: number });
    expect(upserts.map((data) => [data.version, data.cashRoundingIncrement])).toEqual([
      [1, 5],
      [2, undefined],
    ]);
  });

  it('keeps a barcode to one product, whatever GTIN form names it, and frees it when taken off', async () => {
    const put = (sku: string, barcodes: string[]) =>
      call('PUT', `/erp/v1/products/${sku}`, {
        name: sku,
        price: { amount: 100, currency: 'EUR' },
        barcodes,
      });
    expect((await put('CAN-1', ['036000291452'])).statusCode).toBe(201);
    // The EAN-13 form of the same GTIN belongs to the can already; nothing of the PUT is kept.
    const taken = await put('CAN-2', ['4006381333931', '0036000291452']);
    expect([taken.statusCode, taken.json()]).toEqual([
      409,
      expect.objectContaining({ code: 'barcode_in_use', barcode: '0036000291452', sku: 'CAN-1' }),
    ]);
    expect((await call('GET', '/erp/v1/products/CAN-2')).statusCode).toBe(404);
    const wrong = await put('CAN-2', ['4006381333932']);
    expect([wrong.statusCode, wrong.json().code]).toEqual([400, 'invalid_barcode']);
    const notDigits = await put('CAN-2', ['CAN-1']);
    expect([notDigits.statusCode, notDigits.json().code]).toEqual([400, 'validation_failed']);

    expect((await put('CAN-1', [])).json().barcodes).toEqual([]);
    expect((await put('CAN-2', ['0036000291452'])).statusCode).toBe(201);
    // A scanner at the back door finds the product by any form of the number.
    for (const scanned of ['036000291452', '00036000291452']) {
      const found = await call('GET', `/erp/v1/products?barcode=${scanned}`);
      expect(found.json().products.map((product: { sku: string }) => product.sku)).toEqual(['CAN-2']);
    }
    expect((await call('GET', '/erp/v1/products?barcode=96385074')).json().products).toEqual([]);
    expect((await call('GET', '/erp/v1/products?barcode=CAN-2')).statusCode).toBe(400);
    const published = (await erp.published()).filter(
      (event) => event.type === 'erp.product.upserted' && event.subject === 'product/CAN-2',
    );
    expect(published.map((event) => (event.data as { barcodes?: string[] }).barcodes)).toEqual([
      ['0036000291452'],
    ]);
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
      occurredAt: '2026-11-01T09:00:30Z',
    });
    expect(refused.json()).toMatchObject({ status: 409, code: 'adjustment_below_zero' });
    expect(await erp.published()).toHaveLength(before);
    expect((await call('GET', '/erp/v1/inventory/A')).json().locations[0].onHand).toBe(-2);
  });

  it('applies a batch of sales in one transaction, each sale with its own products and price check', async () => {
    const put = async (sku: string, body: object) =>
      expect((await call('PUT', `/erp/v1/products/${sku}`, body)).statusCode).toBe(201);
    await put('B', { name: 'Banana', price: { amount: 50, currency: 'EUR' } });
    await put('K', {
      name: 'Fruit kit',
      price: { amount: 220, currency: 'EUR' },
      kind: 'kit',
      components: [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
    });
    const onHand = async (sku: string): Promise<number> =>
      (
        (await call('GET', `/erp/v1/inventory/${sku}`)).json().locations as Array<{
          locationId: string;
          onHand: number;
        }>
      ).find((location) => location.locationId === 'S1')?.onHand ?? 0;
    const [apples, bananas] = [await onHand('A'), await onHand('B')];
    const sale = (saleId: string, sku: string, quantity: number, unitPrice: number) =>
      foreignEvent('pos', 'pos.sale.completed', `sale/${saleId}`, 1, {
        saleId,
        storeId: 'S1',
        terminalId: 'T1',
        occurredAt: '2026-11-01T12:00:00.000Z',
        currency: 'EUR',
        total: quantity * unitPrice,
        lines: [{ lineNo: 1, sku, quantity, unitPrice, lineTotal: quantity * unitPrice }],
        payments: [{ method: 'cash', amount: quantity * unitPrice }],
      });
    // One transaction per consumer: products and live pricing are read once for the batch, as sales name them.
    await erp.deliverAll('pos', [
      sale('batch-1', 'A', 1, 100),
      sale('batch-2', 'K', 1, 220),
      sale('batch-3', 'B', 2, 60),
      sale('batch-4', 'A', 1, 100),
    ]);
    expect(await onHand('A')).toBe(apples - 4);
    expect(await onHand('B')).toBe(bananas - 3);
    // Three sales moved A in the batch: three events with consecutive versions, the balance at the last.
    const changes = (await erp.published())
      .filter((event) => event.type === 'erp.stock.changed' && event.subject === 'stock/A@S1')
      .slice(-3)
      .map((event) => event.data as { version: number; onHand: number });
    expect(changes.map((change) => change.onHand)).toEqual([apples - 1, apples - 3, apples - 4]);
    expect(changes.map((change) => change.version - changes[0]!.version)).toEqual([0, 1, 2]);
    const ledger = (await call('GET', '/erp/v1/inventory/ledger-check')).json();
    expect(ledger.ok).toBe(true);
    const mismatches = (await call('GET', '/erp/v1/price-mismatches')).json().mismatches as Array<{
      saleId: string;
      reason: string;
    }>;
    expect(
      mismatches
        .filter((mismatch) => mismatch.saleId.startsWith('batch-'))
        .map((mismatch) => [mismatch.saleId, mismatch.reason]),
    ).toEqual([['batch-3', 'price_differs']]);
  });
});
