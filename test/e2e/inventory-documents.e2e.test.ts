import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { uniqueName } from '@tillstream/kernel/testing';
import { hubEvents, saleBody, waitForOnHand } from '../support/fixtures.js';
import {
  expectLedgerTrue,
  putLocation,
  putProduct,
  receive,
  reservation,
  stockAt,
} from '../support/inventory.js';

/** Transfers, backorders, counts, returns and kit sales over real processes; the ledger is checked after each. */
describe.each(ENGINES)('inventory documents (%s)', (engine) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startPlatform(engine);
  });
  afterEach(async () => expectLedgerTrue(platform));
  afterAll(async () => platform?.stop());

  const post = (path: string, body?: unknown) => platform.request('POST', `/erp/v1${path}`, body);

  it('moves a transfer through in-transit, with a partial receipt and a short close', async () => {
    const [warehouse, store] = [
      await putLocation(platform, 'warehouse'),
      await putLocation(platform, 'store'),
    ];
    const [a, b] = [await putProduct(platform), await putProduct(platform)];
    await receive(platform, a, warehouse, 20);
    await receive(platform, b, warehouse, 5);
    const id = uniqueName('tr');
    const lines = [
      { sku: a, quantity: 10 },
      { sku: b, quantity: 4 },
    ];
    expect((await post('/transfers', { id, sourceId: warehouse, destinationId: store, lines })).status).toBe(
      201,
    );
    expect((await post('/transfers', { id, sourceId: warehouse, destinationId: store, lines })).status).toBe(
      200,
    );
    const shipped = await post(`/transfers/${id}/ship`);
    expect(shipped.body).toMatchObject({ status: 'in_transit', version: 1 });
    expect(await stockAt(platform, a, warehouse)).toMatchObject({ onHand: 10 });
    expect(await stockAt(platform, a, store)).toMatchObject({ onHand: 0, inTransit: 10, available: 0 });

    const partial = await post(`/transfers/${id}/receipts`, {
      id: uniqueName('rcpt'),
      lines: [{ sku: a, quantity: 6 }],
    });
    expect(partial.body).toMatchObject({
      status: 'partially_received',
      lines: [
        { sku: a, received: 6 },
        { sku: b, received: 0 },
      ],
    });
    expect(await stockAt(platform, a, store)).toMatchObject({ onHand: 6, inTransit: 4 });

    const last = { id: uniqueName('rcpt'), lines: [{ sku: b, quantity: 3 }], close: true };
    const closed = await post(`/transfers/${id}/receipts`, last);
    expect(closed.body).toMatchObject({
      status: 'received',
      discrepancies: [
        { sku: a, shipped: 10, received: 6, difference: -4 },
        { sku: b, shipped: 4, received: 3, difference: -1 },
      ],
    });
    expect((await post(`/transfers/${id}/receipts`, last)).status).toBe(200);
    expect(await stockAt(platform, a, store)).toMatchObject({ onHand: 6, inTransit: 0 });
    expect(await stockAt(platform, b, store)).toMatchObject({ onHand: 3, inTransit: 0 });
    const more = await post(`/transfers/${id}/receipts`, {
      id: uniqueName('rcpt'),
      lines: [{ sku: a, quantity: 1 }],
    });
    expect(more).toMatchObject({ status: 409, body: { code: 'transfer_state' } });
    await eventually(async () => {
      const types = (await hubEvents(platform))
        .filter((e) => e.subject === `transfer/${id}`)
        .map((e) => e.type);
      return types.join() === 'erp.transfer.shipped,erp.transfer.received,erp.transfer.received';
    });
  });

  it('refuses to ship what the source has promised to someone else', async () => {
    const [warehouse, store] = [
      await putLocation(platform, 'warehouse'),
      await putLocation(platform, 'store'),
    ];
    const sku = await putProduct(platform);
    await receive(platform, sku, warehouse, 5);
    await post('/reservations', reservation([{ sku, quantity: 3, locationId: warehouse }]));
    const id = uniqueName('tr');
    await post('/transfers', {
      id,
      sourceId: warehouse,
      destinationId: store,
      lines: [{ sku, quantity: 3 }],
    });
    const ship = await post(`/transfers/${id}/ship`);
    expect(ship).toMatchObject({
      status: 409,
      body: { code: 'insufficient_stock', lines: [{ sku, available: 2 }] },
    });
    expect(await stockAt(platform, sku, warehouse)).toMatchObject({ onHand: 5, reserved: 3 });
  });

  it('queues a backorder beyond stock and fills the queue in order when stock arrives', async () => {
    const warehouse = await putLocation(platform, 'warehouse');
    const sku = await putProduct(platform, { backorderable: true });
    await receive(platform, sku, warehouse, 1);
    const channel = `bo-${sku.toLowerCase()}`;
    await platform.request('PUT', `/erp/v1/channels/${channel}`, { locations: [warehouse], safetyStock: 0 });
    const first = reservation([{ sku, quantity: 3 }], { channel });
    const second = reservation([{ sku, quantity: 2 }], { channel });
    expect((await post('/reservations', first)).body.lines[0]).toMatchObject({
      allocations: [{ locationId: warehouse, quantity: 1 }],
      backordered: [{ locationId: warehouse, quantity: 2 }],
    });
    expect((await post('/reservations', second)).body.lines[0].backordered).toEqual([
      { sku, locationId: warehouse, quantity: 2 },
    ]);
    await post(`/reservations/${second.id}/commit`);
    const queue = await platform.request('GET', `/erp/v1/backorders?sku=${sku}&status=open`);
    expect(queue.body.backorders.map((entry: any) => [entry.reservationId, entry.quantity])).toEqual([
      [first.id, 2],
      [second.id, 2],
    ]);

    await receive(platform, sku, warehouse, 3, '2026-11-01T12:00:00Z');
    const filled = await platform.request('GET', `/erp/v1/reservations/${first.id}`);
    expect(filled.body.lines[0]).toMatchObject({ allocations: [{ quantity: 3 }], backordered: [] });
    const waiting = await platform.request('GET', `/erp/v1/reservations/${second.id}`);
    expect(waiting.body.lines[0]).toMatchObject({
      allocations: [{ quantity: 1 }],
      backordered: [{ quantity: 1 }],
    });
    expect(await stockAt(platform, sku, warehouse)).toMatchObject({ onHand: 3, reserved: 3, available: 0 });

    await receive(platform, sku, warehouse, 4, '2026-11-01T13:00:00Z');
    expect(
      (await platform.request('GET', `/erp/v1/reservations/${second.id}`)).body.lines[0].backordered,
    ).toEqual([]);
    expect(await stockAt(platform, sku, warehouse)).toMatchObject({ onHand: 6, reserved: 3, available: 3 });
    await eventually(async () => {
      const fills = (await hubEvents(platform, 'erp.backorder.allocated')).filter(
        (event) => event.data.sku === sku,
      );
      return (
        fills.map((event) => event.data.reservationId).join() === [first.id, second.id, second.id].join()
      );
    });
  });

  it('places a late offline sale before the count it preceded instead of subtracting it twice', async () => {
    const store = await putLocation(platform, 'store');
    const sku = await putProduct(platform);
    await receive(platform, sku, store, 10, '2026-11-01T08:00:00Z');
    const count = await post('/inventory/counts', {
      id: uniqueName('count'),
      locationId: store,
      countedAt: '2026-11-01T09:00:00Z',
      lines: [{ sku, quantity: 7 }],
    });
    expect(count).toMatchObject({
      status: 201,
      body: { lines: [{ sku, counted: 7, expected: 10, variance: -3 }] },
    });
    // A terminal belongs to one store: each test's store gets its own.
    const shop = { storeId: store, warehouseId: store, skus: [sku] };
    const terminalId = uniqueName('till');
    const offline = saleBody(shop, [{ sku, quantity: 2 }], {
      occurredAt: '2026-11-01T08:30:00.000Z',
      terminalId,
    });
    expect((await platform.request('POST', '/pos/v1/sales', offline)).status).toBe(201);
    const later = saleBody(shop, [{ sku, quantity: 1 }], {
      occurredAt: '2026-11-01T09:30:00.000Z',
      terminalId,
    });
    expect((await platform.request('POST', '/pos/v1/sales', later)).status).toBe(201);
    const ledger = await eventually(async () => {
      const rows = (await platform.request('GET', `/erp/v1/inventory/${sku}/movements`)).body.movements;
      return rows.length === 5 ? rows : null;
    });
    expect(ledger.map((row: any) => [row.kind, row.onHand])).toEqual([
      ['received', 10],
      ['sold', -2],
      ['count_offset', 2],
      ['counted', -3],
      ['sold', -1],
    ]);
    expect(await stockAt(platform, sku, store)).toMatchObject({ onHand: 6 });
    const stale = await post('/inventory/counts', {
      id: uniqueName('count'),
      locationId: store,
      countedAt: '2026-11-01T08:45:00Z',
      lines: [{ sku, quantity: 1 }],
    });
    expect(stale).toMatchObject({ status: 409, body: { code: 'count_superseded', skus: [sku] } });
  });

  it('counts a sale dated ahead by a till clock once: a count taken after it arrived has seen it', async () => {
    const store = await putLocation(platform, 'store');
    const sku = await putProduct(platform);
    await receive(platform, sku, store, 10, new Date(Date.now() - 3_600_000).toISOString());
    const shop = { storeId: store, warehouseId: store, skus: [sku] };
    const ahead = saleBody(shop, [{ sku, quantity: 2 }], {
      occurredAt: new Date(Date.now() + 3_600_000).toISOString(),
      terminalId: uniqueName('till'),
    });
    expect((await platform.request('POST', '/pos/v1/sales', ahead)).status).toBe(201);
    await waitForOnHand(platform, sku, store, 8);
    const count = await post('/inventory/counts', {
      id: uniqueName('count'),
      locationId: store,
      countedAt: new Date().toISOString(),
      lines: [{ sku, quantity: 8 }],
    });
    expect(count).toMatchObject({
      status: 201,
      body: { lines: [{ sku, counted: 8, expected: 8, variance: 0 }] },
    });
    expect(await stockAt(platform, sku, store)).toMatchObject({ onHand: 8 });
    // A device clock a little ahead is accepted, but the count is recorded no later than ERP received it.
    const skewed = await post('/inventory/counts', {
      id: uniqueName('count'),
      locationId: store,
      countedAt: new Date(Date.now() + 30_000).toISOString(),
      lines: [{ sku, quantity: 8 }],
    });
    expect(skewed).toMatchObject({ status: 201, body: { lines: [{ expected: 8, variance: 0 }] } });
    expect(Date.parse(skewed.body.countedAt)).toBeLessThanOrEqual(Date.now());
    expect(await stockAt(platform, sku, store)).toMatchObject({ onHand: 8 });
  });

  it('takes returns back to the shelf or aside as damaged, kits as their components', async () => {
    const store = await putLocation(platform, 'store');
    const [a, b] = [await putProduct(platform), await putProduct(platform)];
    const kit = await putProduct(platform, {
      kind: 'kit',
      components: [
        { sku: a, quantity: 1 },
        { sku: b, quantity: 2 },
      ],
    });
    await receive(platform, a, store, 5);
    const body = {
      id: uniqueName('ret'),
      locationId: store,
      occurredAt: '2026-11-01T10:00:00Z',
      reference: 'sale/0195f3a2-7c1e-7b3a-9d2e-4f6a8b0c1d2e',
      lines: [
        { sku: a, quantity: 2, disposition: 'restock' },
        { sku: a, quantity: 1, disposition: 'damaged' },
        { sku: kit, quantity: 1, disposition: 'restock' },
      ],
    };
    const returned = await post('/inventory/returns', body);
    expect(returned.status).toBe(201);
    expect(await stockAt(platform, a, store)).toMatchObject({ onHand: 8, damaged: 1, available: 8 });
    expect(await stockAt(platform, b, store)).toMatchObject({ onHand: 2, damaged: 0 });
    const replay = await post('/inventory/returns', body);
    expect(replay).toMatchObject({ status: 200, body: returned.body });
    expect(
      (await post('/inventory/returns', { ...body, locationId: store, lines: [body.lines[0]] })).body.code,
    ).toBe('id_conflict');
    expect(await stockAt(platform, a, store)).toMatchObject({ onHand: 8, damaged: 1 });
  });

  it('sells a kit at the till as its components, and flags a sale beyond stock without refusing it', async () => {
    const store = await putLocation(platform, 'store');
    const [a, b] = [await putProduct(platform), await putProduct(platform)];
    const kit = await putProduct(platform, {
      kind: 'kit',
      components: [
        { sku: a, quantity: 2 },
        { sku: b, quantity: 1 },
      ],
    });
    await receive(platform, a, store, 10);
    await receive(platform, b, store, 1);
    const shop = { storeId: store, warehouseId: store, skus: [] };
    const sale = saleBody(shop, [{ sku: kit, quantity: 2 }], { terminalId: uniqueName('till') });
    const posted = await platform.request('POST', '/pos/v1/sales', sale);
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    await eventually(
      async () => (await stockAt(platform, a, store)).onHand === 6,
      20_000,
      'the kit sale reached ERP',
    );
    expect(await stockAt(platform, b, store)).toMatchObject({ onHand: -1 });
    const exceptions = (await platform.request('GET', '/erp/v1/stock-exceptions?limit=500')).body.exceptions;
    expect(exceptions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          sku: b,
          locationId: store,
          onHand: -1,
          cause: { kind: 'sold', reference: `sale/${sale.id}` },
        }),
      ]),
    );
  });
});
