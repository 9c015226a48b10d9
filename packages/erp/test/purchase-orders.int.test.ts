import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createContextHarness,
  harnessDialects,
  type ContextHarness,
  uniqueName,
} from '@tillstream/kernel/testing';
import { createErp } from '../src/index.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

describe.each(harnessDialects(pgUrl))('ERP purchase orders on a real %s database', (dialect) => {
  let erp: ContextHarness;
  const call = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
    erp.api(method, url, payload);
  const ok = async (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) => {
    const response = await call(method, url, payload);
    if (response.status >= 300)
      throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const product = async (extra: object = {}) => {
    const sku = uniqueName('PO-SKU');
    await ok('PUT', `/products/${sku}`, { name: sku, price: { amount: 900, currency: 'EUR' }, ...extra });
    return sku;
  };
  const stockAt = async (sku: string, locationId: string) =>
    ((await ok('GET', `/inventory/${sku}`)).locations as any[]).find((row) => row.locationId === locationId);
  const order = (lines: Array<{ sku: string; quantity: number; unitCost: number }>, locationId = 'W1') => ({
    id: uniqueName('po'),
    supplier: { id: 'acme', name: 'Acme Textiles' },
    locationId,
    expectedAt: '2026-11-08T09:00:00Z',
    currency: 'EUR',
    lines,
  });
  /** A submitted order of these lines at W1. */
  const ordered = async (lines: Array<{ sku: string; quantity: number; unitCost: number }>) => {
    const body = order(lines);
    await ok('POST', '/purchase-orders', body);
    await ok('POST', `/purchase-orders/${body.id}/submit`);
    return body.id;
  };
  const receipt = (lines: Array<{ sku: string; quantity: number }>, extra: object = {}) => ({
    id: uniqueName('rcpt'),
    lines,
    ...extra,
  });
  const eventsOf = async (id: string) =>
    (await erp.published()).filter((event) => event.subject === `purchase-order/${id}`);
  const expectLedgerTrue = async () => expect((await ok('GET', '/inventory/ledger-check')).ok).toBe(true);

  beforeAll(async () => {
    erp = await createContextHarness((deps) => createErp({ ...deps, holdSweepIntervalMs: 60_000 }), {
      dialect,
      pgUrl,
      name: 'erp',
    });
    await ok('PUT', '/locations/W1', { name: 'Warehouse 1', kind: 'warehouse' });
    await ok('PUT', '/locations/S1', { name: 'Store 1', kind: 'store' });
    await erp.module.start?.();
  });
  afterAll(async () => {
    await erp?.module.stop?.();
    await erp?.close();
  });

  it('orders, receives part, shows on-order, closes short and over with discrepancies, and keeps the ledger', async () => {
    const [a, b, extra] = [await product(), await product(), await product()];
    const body = order([
      { sku: a, quantity: 10, unitCost: 450 },
      { sku: b, quantity: 4, unitCost: 1200 },
    ]);
    const created = await call('POST', '/purchase-orders', body);
    expect(created).toMatchObject({
      status: 201,
      body: { status: 'draft', version: 0, total: 9300, expectedAt: '2026-11-08T09:00:00.000Z' },
    });
    expect((await call('POST', '/purchase-orders', body)).status).toBe(200);
    // A draft is not on order yet: the supplier has not been asked.
    expect(await stockAt(a, 'W1')).toBeUndefined();

    const submitted = await ok('POST', `/purchase-orders/${body.id}/submit`);
    expect(submitted).toMatchObject({
      status: 'ordered',
      version: 1,
      submittedAt: erp.clock.now().toISOString(),
    });
    expect(await ok('POST', `/purchase-orders/${body.id}/submit`)).toEqual(submitted);
    expect(await stockAt(a, 'W1')).toMatchObject({ onHand: 0, available: 0, onOrder: 10, version: 0 });

    const first = receipt([{ sku: a, quantity: 6 }], { occurredAt: '2026-11-01T08:30:00+01:00' });
    const partial = await call('POST', `/purchase-orders/${body.id}/receipts`, first);
    expect(partial).toMatchObject({ status: 201, body: { status: 'partially_received', version: 2 } });
    expect(partial.body.lines).toEqual([
      { sku: a, quantity: 10, unitCost: 450, received: 6 },
      { sku: b, quantity: 4, unitCost: 1200, received: 0 },
    ]);
    expect(await stockAt(a, 'W1')).toMatchObject({ onHand: 6, available: 6, onOrder: 4 });
    expect(await stockAt(b, 'W1')).toMatchObject({ onHand: 0, onOrder: 4 });
    const inventory = await ok('GET', `/inventory/${a}`);
    expect(inventory.totals).toMatchObject({ onHand: 6, onOrder: 4 });
    const movements = (await ok('GET', `/inventory/${a}/movements?locationId=W1`)).movements;
    expect(movements).toEqual([
      expect.objectContaining({
        kind: 'po_received',
        onHand: 6,
        occurredAt: '2026-11-01T07:30:00.000Z',
        reference: `purchase-order/${body.id}/receipt/${first.id}`,
      }),
    ]);

    const last = receipt(
      [
        { sku: b, quantity: 5 },
        { sku: extra, quantity: 2 },
      ],
      { close: true },
    );
    const closed = await ok('POST', `/purchase-orders/${body.id}/receipts`, last);
    expect(closed).toMatchObject({ status: 'received', version: 3, closedAt: erp.clock.now().toISOString() });
    expect(closed.discrepancies).toEqual([
      { sku: a, ordered: 10, received: 6, difference: -4 },
      { sku: b, ordered: 4, received: 5, difference: 1 },
      { sku: extra, ordered: 0, received: 2, difference: 2 },
    ]);
    expect(closed.lines.at(-1)).toEqual({ sku: extra, quantity: 0, unitCost: null, received: 2 });
    expect(await stockAt(a, 'W1')).toMatchObject({ onHand: 6, onOrder: 0 });
    expect(await stockAt(b, 'W1')).toMatchObject({ onHand: 5, onOrder: 0 });
    expect(await stockAt(extra, 'W1')).toMatchObject({ onHand: 2, onOrder: 0 });
    expect(await ok('GET', `/purchase-orders/${body.id}`)).toEqual(closed);

    const events = await eventsOf(body.id);
    expect(events.map((event) => [event.type, event.sequence])).toEqual([
      ['erp.purchase_order.submitted', 1],
      ['erp.purchase_order.received', 2],
      ['erp.purchase_order.received', 3],
    ]);
    expect(events[2]!.data).toMatchObject({
      status: 'received',
      receipt: { receiptId: last.id, lines: last.lines, close: true },
      discrepancies: closed.discrepancies,
    });
    await expectLedgerTrue();
  });

  it('fills a waiting backorder from a receipt, as any other receipt does', async () => {
    const sku = await product({ backorderable: true });
    const reservationId = uniqueName('r');
    const held = await ok('POST', '/reservations', {
      id: reservationId,
      channel: 'web',
      lines: [{ sku, quantity: 3 }],
      expiresInSeconds: 600,
    });
    expect(held.lines[0].backordered).toEqual([{ sku, locationId: 'W1', quantity: 3 }]);
    const id = await ordered([{ sku, quantity: 5, unitCost: 100 }]);

    await ok('POST', `/purchase-orders/${id}/receipts`, receipt([{ sku, quantity: 5 }]));

    expect((await ok('GET', `/reservations/${reservationId}`)).lines[0]).toMatchObject({
      backordered: [],
      allocations: [{ sku, locationId: 'W1', quantity: 3 }],
    });
    expect(await stockAt(sku, 'W1')).toMatchObject({ onHand: 5, reserved: 3, available: 2, onOrder: 0 });
    const allocated = (await erp.published()).filter(
      (event) =>
        event.type === 'erp.backorder.allocated' &&
        (event.data as { reservationId: string }).reservationId === reservationId,
    );
    expect(allocated.map((event) => event.data)).toEqual([
      expect.objectContaining({ quantity: 3, remaining: 0 }),
    ]);
    await expectLedgerTrue();
  });

  it('applies a receipt once however often it is sent, at once or later, and refuses its id for another', async () => {
    const sku = await product();
    const id = await ordered([{ sku, quantity: 10, unitCost: 100 }]);
    const same = receipt([{ sku, quantity: 4 }]);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => call('POST', `/purchase-orders/${id}/receipts`, same)),
    );
    expect(results.map((result) => result.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect((await call('POST', `/purchase-orders/${id}/receipts`, same)).status).toBe(200);
    expect(await stockAt(sku, 'W1')).toMatchObject({ onHand: 4, onOrder: 6, version: 1 });
    expect((await ok('GET', `/purchase-orders/${id}`)).version).toBe(2);

    const changed = await call('POST', `/purchase-orders/${id}/receipts`, {
      ...same,
      lines: [{ sku, quantity: 5 }],
    });
    expect(changed).toMatchObject({ status: 409, body: { code: 'id_conflict' } });
    const other = await ordered([{ sku, quantity: 1, unitCost: 100 }]);
    expect(await call('POST', `/purchase-orders/${other}/receipts`, same)).toMatchObject({
      status: 409,
      body: { code: 'id_conflict' },
    });
    expect(await stockAt(sku, 'W1')).toMatchObject({ onHand: 4, version: 1 });
    await expectLedgerTrue();
  });

  // Several rounds at once: on PostgreSQL the requests run on separate connections, so a missing row lock
  // shows up as a lost receipt or as a cancel and a receipt that both went through.
  const ROUNDS = 8;

  it('lets two receipts of one order racing both count, in turn, also when they share no SKU', async () => {
    // Receipts of one SKU already queue on its balance row; receipts of different SKUs meet only at the
    // order's row, where a lost update would drop one line's received units.
    const [a, b] = [await product(), await product()];
    const ids = await Promise.all(
      Array.from({ length: ROUNDS }, () =>
        ordered([
          { sku: a, quantity: 10, unitCost: 100 },
          { sku: b, quantity: 6, unitCost: 100 },
        ]),
      ),
    );
    const results = await Promise.all(
      ids.flatMap((id) =>
        [[{ sku: a, quantity: 4 }], [{ sku: b, quantity: 6 }], [{ sku: a, quantity: 1 }]].map((lines) =>
          call('POST', `/purchase-orders/${id}/receipts`, receipt(lines)),
        ),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(results.map(() => 201));
    for (const id of ids) {
      const now = await ok('GET', `/purchase-orders/${id}`);
      expect(now).toMatchObject({ status: 'partially_received', version: 4 });
      expect(now.lines.map((line: { received: number }) => line.received)).toEqual([5, 6]);
    }
    expect(await stockAt(a, 'W1')).toMatchObject({ onHand: 5 * ROUNDS, onOrder: 5 * ROUNDS });
    expect(await stockAt(b, 'W1')).toMatchObject({ onHand: 6 * ROUNDS, onOrder: 0 });
    await expectLedgerTrue();
  });

  it('lets either a receipt or a cancel racing it win, never both', async () => {
    const sku = await product();
    const ids = await Promise.all(
      Array.from({ length: ROUNDS }, () => ordered([{ sku, quantity: 10, unitCost: 100 }])),
    );
    const races = await Promise.all(
      ids.map((id) =>
        Promise.all([
          call('POST', `/purchase-orders/${id}/receipts`, receipt([{ sku, quantity: 3 }])),
          call('POST', `/purchase-orders/${id}/cancel`),
        ]),
      ),
    );
    let receivedOrders = 0;
    for (const [index, [received, cancelled]] of races.entries()) {
      // One wins (201 receipt or 200 cancel), the other finds the order in the wrong state.
      const [winner, loser] = received.status === 409 ? [cancelled, received] : [received, cancelled];
      expect(winner.status).toBeLessThan(300);
      expect(loser).toMatchObject({ status: 409, body: { code: 'purchase_order_state' } });
      const now = await ok('GET', `/purchase-orders/${ids[index]}`);
      expect(now).toMatchObject({
        status: received.status === 201 ? 'partially_received' : 'cancelled',
        version: 2,
      });
      if (received.status === 201) receivedOrders += 1;
    }
    expect((await stockAt(sku, 'W1'))?.onHand ?? 0).toBe(3 * receivedOrders);
    expect((await stockAt(sku, 'W1'))?.onOrder ?? 0).toBe(7 * receivedOrders);
    await expectLedgerTrue();
  });

  it('cancels only before anything arrived, and a cancelled order is on order no more', async () => {
    const sku = await product();
    const draft = order([{ sku, quantity: 2, unitCost: 100 }]);
    await ok('POST', '/purchase-orders', draft);
    expect(await ok('POST', `/purchase-orders/${draft.id}/cancel`)).toMatchObject({
      status: 'cancelled',
      version: 1,
      closedAt: erp.clock.now().toISOString(),
    });
    expect((await call('POST', `/purchase-orders/${draft.id}/cancel`)).status).toBe(200);
    expect(await call('POST', `/purchase-orders/${draft.id}/submit`)).toMatchObject({
      status: 409,
      body: { code: 'purchase_order_state' },
    });

    const id = await ordered([{ sku, quantity: 7, unitCost: 100 }]);
    expect(await stockAt(sku, 'W1')).toMatchObject({ onOrder: 7 });
    await ok('POST', `/purchase-orders/${id}/cancel`);
    // Nothing in stock and nothing on order: W1 has no row for the SKU any more.
    expect(await stockAt(sku, 'W1')).toBeUndefined();
    expect(
      await call('POST', `/purchase-orders/${id}/receipts`, receipt([{ sku, quantity: 1 }])),
    ).toMatchObject({
      status: 409,
      body: { code: 'purchase_order_state' },
    });
    expect((await eventsOf(id)).map((event) => [event.type, event.sequence])).toEqual([
      ['erp.purchase_order.submitted', 1],
      ['erp.purchase_order.cancelled', 2],
    ]);

    const partial = await ordered([{ sku, quantity: 5, unitCost: 100 }]);
    await ok('POST', `/purchase-orders/${partial}/receipts`, receipt([{ sku, quantity: 1 }]));
    expect(await call('POST', `/purchase-orders/${partial}/cancel`)).toMatchObject({
      status: 409,
      body: { code: 'purchase_order_state' },
    });
    const draftOnly = order([{ sku, quantity: 1, unitCost: 1 }]);
    await ok('POST', '/purchase-orders', draftOnly);
    expect(
      await call('POST', `/purchase-orders/${draftOnly.id}/receipts`, receipt([{ sku, quantity: 1 }])),
    ).toMatchObject({
      status: 409,
      body: { code: 'purchase_order_state' },
    });
    expect(await stockAt(sku, 'W1')).toMatchObject({ onHand: 1, onOrder: 4 });
    await expectLedgerTrue();
  });

  it('lists orders in id order by status, location and SKU, a page at a time', async () => {
    const sku = await product();
    const prefix = uniqueName('list');
    const ids = [`${prefix}-1`, `${prefix}-2`, `${prefix}-3`];
    for (const [index, id] of ids.entries())
      await ok('POST', '/purchase-orders', {
        ...order([{ sku, quantity: index + 1, unitCost: 10 }], index === 2 ? 'S1' : 'W1'),
        id,
      });
    await ok('POST', `/purchase-orders/${ids[1]}/submit`);

    const first = await ok('GET', `/purchase-orders?sku=${sku}&limit=2`);
    expect(first.purchaseOrders.map((po: { id: string }) => po.id)).toEqual(ids.slice(0, 2));
    expect(first.next).toBe(ids[1]);
    const second = await ok('GET', `/purchase-orders?sku=${sku}&limit=2&after=${first.next}`);
    expect(second.purchaseOrders.map((po: { id: string }) => po.id)).toEqual([ids[2]]);
    expect(second.next).toBeNull();
    const exact = await ok('GET', `/purchase-orders?sku=${sku}&limit=3`);
    expect(exact.next).toBeNull();

    const byStatus = await ok('GET', `/purchase-orders?sku=${sku}&status=ordered`);
    expect(byStatus.purchaseOrders.map((po: { id: string }) => po.id)).toEqual([ids[1]]);
    const byLocation = await ok('GET', `/purchase-orders?sku=${sku}&locationId=S1`);
    expect(byLocation.purchaseOrders.map((po: { id: string }) => po.id)).toEqual([ids[2]]);
    expect(byLocation.purchaseOrders[0].lines).toEqual([{ sku, quantity: 3, unitCost: 10, received: 0 }]);

    expect(await call('GET', `/purchase-orders?after=${prefix}-none`)).toMatchObject({
      status: 400,
      body: { code: 'invalid_cursor' },
    });
    expect((await call('GET', '/purchase-orders?limit=0')).body.code).toBe('validation_failed');
    expect((await call('GET', '/purchase-orders?status=open')).body.code).toBe('validation_failed');
  });

  it('shows units on order at a location that holds none of the SKU yet', async () => {
    const sku = await product();
    await ordered([{ sku, quantity: 12, unitCost: 100 }]);
    const inventory = await ok('GET', `/inventory/${sku}`);
    expect(inventory.locations).toEqual([
      {
        locationId: 'W1',
        onHand: 0,
        reserved: 0,
        available: 0,
        inTransit: 0,
        damaged: 0,
        version: 0,
        onOrder: 12,
      },
    ]);
    expect(inventory.totals).toMatchObject({ onHand: 0, onOrder: 12 });
  });

  describe('refuses bad input with its code, never a 500 and never a partial write', () => {
    let sku: string;
    let kit: string;
    beforeAll(async () => {
      sku = await product();
      kit = uniqueName('PO-KIT');
      await ok('PUT', `/products/${kit}`, {
        name: kit,
        price: { amount: 1, currency: 'EUR' },
        kind: 'kit',
        components: [{ sku, quantity: 2 }],
      });
    });
    const line = (change: object = {}) => ({ sku, quantity: 2, unitCost: 100, ...change });

    it.each([
      ['an unknown SKU', () => ({ lines: [line({ sku: 'NO-SUCH-SKU' })] }), 422, 'unknown_sku'],
      ['an unknown location', () => ({ locationId: 'NOWHERE' }), 422, 'unknown_location'],
      ['a kit', () => ({ lines: [line({ sku: kit })] }), 422, 'kit_has_no_stock'],
      ['a SKU twice', () => ({ lines: [line(), line()] }), 400, 'duplicate_line'],
      ['a negative quantity', () => ({ lines: [line({ quantity: -1 })] }), 400, 'validation_failed'],
      ['a zero quantity', () => ({ lines: [line({ quantity: 0 })] }), 400, 'validation_failed'],
      ['a fractional quantity', () => ({ lines: [line({ quantity: 1.5 })] }), 400, 'validation_failed'],
      ['a quantity as a string', () => ({ lines: [line({ quantity: '2' })] }), 400, 'validation_failed'],
      ['a negative cost', () => ({ lines: [line({ unitCost: -1 })] }), 400, 'validation_failed'],
      ['a fractional cost', () => ({ lines: [line({ unitCost: 4.5 })] }), 400, 'validation_failed'],
      ['a cost as a string', () => ({ lines: [line({ unitCost: '450' })] }), 400, 'validation_failed'],
      ['a cost too large', () => ({ lines: [line({ unitCost: 1e12 + 1 })] }), 400, 'validation_failed'],
      [
        'an order worth too much',
        () => ({ lines: [line({ quantity: 2, unitCost: 1e12 })] }),
        400,
        'purchase_order_value_too_large',
      ],
      ['no lines', () => ({ lines: [] }), 400, 'validation_failed'],
      ['a lower-case currency', () => ({ currency: 'eur' }), 400, 'validation_failed'],
      ['no supplier', () => ({ supplier: undefined }), 400, 'validation_failed'],
      ['an unknown field', () => ({ discount: 5 }), 400, 'validation_failed'],
      ['a bad expected date', () => ({ expectedAt: 'next tuesday' }), 400, 'validation_failed'],
    ])('a purchase order with %s', async (_name, change, status, code) => {
      const body = { ...order([line()]), ...change() };
      const response = await call('POST', '/purchase-orders', body);
      expect(response).toMatchObject({ status, body: { code } });
      expect((await call('GET', `/purchase-orders/${body.id}`)).status).toBe(404);
    });

    it.each([
      [
        'a known and an unknown SKU',
        () => ({
          lines: [
            { sku, quantity: 1 },
            { sku: 'NO-SUCH-SKU', quantity: 1 },
          ],
        }),
        422,
        'unknown_sku',
      ],
      ['a kit', () => ({ lines: [{ sku: kit, quantity: 1 }] }), 422, 'kit_has_no_stock'],
      [
        'a SKU twice',
        () => ({
          lines: [
            { sku, quantity: 1 },
            { sku, quantity: 1 },
          ],
        }),
        400,
        'duplicate_line',
      ],
      ['a negative quantity', () => ({ lines: [{ sku, quantity: -3 }] }), 400, 'validation_failed'],
      ['a fractional quantity', () => ({ lines: [{ sku, quantity: 0.5 }] }), 400, 'validation_failed'],
      ['a quantity as a string', () => ({ lines: [{ sku, quantity: '3' }] }), 400, 'validation_failed'],
      [
        'close as a string',
        () => ({ lines: [{ sku, quantity: 1 }], close: 'true' }),
        400,
        'validation_failed',
      ],
      [
        'a date an hour ahead',
        () => ({ lines: [{ sku, quantity: 1 }], occurredAt: '2026-11-01T10:00:00Z' }),
        422,
        'receipt_in_future',
      ],
    ])('a receipt with %s, after which the receipt id is still free', async (_name, change, status, code) => {
      const id = await ordered([line()]);
      const before = await stockAt(sku, 'W1');
      const bad = { id: uniqueName('rcpt'), ...change() };
      expect(await call('POST', `/purchase-orders/${id}/receipts`, bad)).toMatchObject({
        status,
        body: { code },
      });
      expect(await ok('GET', `/purchase-orders/${id}`)).toMatchObject({ status: 'ordered', version: 1 });
      expect(await stockAt(sku, 'W1')).toEqual(before);
      const good = await call('POST', `/purchase-orders/${id}/receipts`, {
        id: bad.id,
        lines: [{ sku, quantity: 1 }],
      });
      expect(good.status).toBe(201);
    });

    it('answers an unknown order 404 on every route, and a reused id with another body 409', async () => {
      for (const [method, path, body] of [
        ['GET', '/purchase-orders/NO-SUCH-PO', undefined],
        ['POST', '/purchase-orders/NO-SUCH-PO/submit', undefined],
        ['POST', '/purchase-orders/NO-SUCH-PO/cancel', undefined],
        ['POST', '/purchase-orders/NO-SUCH-PO/receipts', receipt([{ sku, quantity: 1 }])],
      ] as const)
        expect(await call(method, path, body)).toMatchObject({
          status: 404,
          body: { code: 'purchase_order_not_found' },
        });
      const body = order([line()]);
      await ok('POST', '/purchase-orders', body);
      expect(await call('POST', '/purchase-orders', { ...body, currency: 'USD' })).toMatchObject({
        status: 409,
        body: { code: 'id_conflict' },
      });
      expect((await call('GET', '/purchase-orders/bad%20id')).body.code).toBe('validation_failed');
      await expectLedgerTrue();
    });
  });
});
