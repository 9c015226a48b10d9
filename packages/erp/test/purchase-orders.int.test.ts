import { describe, expect, it } from 'vitest';
import { harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { pgUrl, purchaseOrderRig } from './purchase-orders.rig.js';

describe.each(harnessDialects(pgUrl))('ERP purchase orders on a real %s database', (dialect) => {
  const {
    erp: erpOf,
    call,
    ok,
    product,
    stockAt,
    order,
    ordered,
    receipt,
    eventsOf,
    expectLedgerTrue,
  } = purchaseOrderRig(dialect);

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
      submittedAt: erpOf().clock.now().toISOString(),
    });
    expect(await ok('POST', `/purchase-orders/${body.id}/submit`)).toEqual(submitted);
    expect(await stockAt(a, 'W1')).toMatchObject({ onHand: 0, available: 0, onOrder: 10, version: 0 });

    const first = receipt([{ sku: a, quantity: 6 }], { occurredAt: '2026-11-01T08:30:00+01:00' });
    const partial = await call('POST', `/purchase-orders/${body.id}/receipts`, first);
    expect(partial).toMatchObject({ status: 201, body: { status: 'partially_received', version: 2 } });
    expect(partial.body.lines).toEqual([
      { sku: a, quantity: 10, unitCost: 450, received: 6, invoiced: 0 },
      { sku: b, quantity: 4, unitCost: 1200, received: 0, invoiced: 0 },
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
    expect(closed).toMatchObject({
      status: 'received',
      version: 3,
      closedAt: erpOf().clock.now().toISOString(),
    });
    expect(closed.discrepancies).toEqual([
      { sku: a, ordered: 10, received: 6, difference: -4 },
      { sku: b, ordered: 4, received: 5, difference: 1 },
      { sku: extra, ordered: 0, received: 2, difference: 2 },
    ]);
    expect(closed.lines.at(-1)).toEqual({
      sku: extra,
      quantity: 0,
      unitCost: null,
      received: 2,
      invoiced: 0,
    });
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
    const allocated = (await erpOf().published()).filter(
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
      closedAt: erpOf().clock.now().toISOString(),
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
    expect(byLocation.purchaseOrders[0].lines).toEqual([
      { sku, quantity: 3, unitCost: 10, received: 0, invoiced: 0 },
    ]);
    // Overdue: open orders expected before the instant (drafts are not owed by anyone yet), offsets honoured.
    const overdue = async (at: string) =>
      (
        await ok('GET', `/purchase-orders?sku=${sku}&expectedBefore=${encodeURIComponent(at)}`)
      ).purchaseOrders.map((po: { id: string }) => po.id);
    expect(await overdue('2026-11-08T10:00:00+01:00')).toEqual([]);
    expect(await overdue('2026-11-08T09:00:01Z')).toEqual([ids[1]]);

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
});
