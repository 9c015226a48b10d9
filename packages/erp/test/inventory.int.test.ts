import { describe, expect, it } from 'vitest';
import { foreignEvent, harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { pgUrl, S1, startedErp, W1, W2 } from './started-erp.js';

describe.each(harnessDialects(pgUrl))('ERP inventory on a real %s database', (dialect) => {
  const { erp, call, ok, receive } = startedErp(dialect, {
    holdSweepIntervalMs: 20,
    locations: [W1, W2, S1],
  });
  const balance = async (sku: string, locationId: string) =>
    ((await ok('GET', `/inventory/${sku}`)).locations as any[]).find((row) => row.locationId === locationId);
  const product = (sku: string, extra: object = {}) =>
    ok('PUT', `/products/${sku}`, { name: sku, price: { amount: 100, currency: 'EUR' }, ...extra });

  it('holds, splits over the channel locations, commits and keeps the ledger true', async () => {
    const sku = uniqueName('A');
    await product(sku);
    await receive(sku, 'W1', 3);
    await receive(sku, 'W2', 4);
    const held = await call('POST', '/reservations', {
      id: uniqueName('r'),
      channel: 'web',
      lines: [{ sku, quantity: 5 }],
      expiresInSeconds: 600,
    });
    expect(held.status).toBe(201);
    expect(held.body.lines[0].allocations).toEqual([
      { sku, locationId: 'W1', quantity: 3 },
      { sku, locationId: 'W2', quantity: 2 },
    ]);
    expect(await balance(sku, 'W2')).toMatchObject({ onHand: 4, reserved: 2, available: 2 });
    const committed = await ok('POST', `/reservations/${held.body.id}/commit`);
    expect(committed.status).toBe('committed');
    expect(await balance(sku, 'W2')).toMatchObject({ onHand: 2, reserved: 0, available: 2 });
    expect((await ok('GET', '/inventory/ledger-check')).ok).toBe(true);
  });

  it('lets exactly the stock through when 60 reservations race for 20 units', async () => {
    const sku = uniqueName('HOT');
    await product(sku);
    await receive(sku, 'W1', 20);
    const results = await Promise.all(
      Array.from({ length: 60 }, () =>
        call('POST', '/reservations', {
          id: uniqueName('race'),
          channel: 'web',
          lines: [{ sku, quantity: 1 }],
          expiresInSeconds: 600,
        }),
      ),
    );
    expect(results.filter((result) => result.status === 201)).toHaveLength(20);
    const refused = results.filter((result) => result.status === 409);
    expect(refused).toHaveLength(40);
    expect(refused[0]!.body).toMatchObject({
      code: 'insufficient_stock',
      lines: [{ sku, requested: 1, available: 0 }],
    });
    expect(await balance(sku, 'W1')).toMatchObject({ onHand: 20, reserved: 20, available: 0 });
    expect((await ok('GET', '/inventory/ledger-check')).ok).toBe(true);
  });

  it('expires a hold after its time and returns the stock', async () => {
    const sku = uniqueName('EXP');
    await product(sku);
    await receive(sku, 'W1', 2);
    const id = uniqueName('r');
    await ok('POST', '/reservations', {
      id,
      channel: 'web',
      lines: [{ sku, quantity: 2 }],
      expiresInSeconds: 30,
    });
    erp().clock.advance(31_000);
    for (
      let attempt = 0;
      attempt < 100 && (await ok('GET', `/reservations/${id}`)).status === 'held';
      attempt++
    )
      await new Promise((done) => setTimeout(done, 20));
    expect((await ok('GET', `/reservations/${id}`)).status).toBe('expired');
    expect(await balance(sku, 'W1')).toMatchObject({ reserved: 0, available: 2 });
    expect(
      (await erp().published()).some(
        (e) => e.type === 'erp.reservation.expired' && e.subject === `reservation/${id}`,
      ),
    ).toBe(true);
    expect((await call('POST', `/reservations/${id}/commit`)).body.code).toBe('reservation_expired');
  });

  it('fills a backorder when stock arrives, and commits it straight away for a committed order', async () => {
    const sku = uniqueName('BO');
    await product(sku, { backorderable: true });
    await receive(sku, 'W1', 1);
    const id = uniqueName('r');
    const held = await ok('POST', '/reservations', {
      id,
      channel: 'web',
      lines: [{ sku, quantity: 3 }],
      expiresInSeconds: 600,
    });
    expect(held.lines[0].backordered).toEqual([{ sku, locationId: 'W1', quantity: 2 }]);
    await ok('POST', `/reservations/${id}/commit`);
    await receive(sku, 'W1', 5, '2026-11-01T09:00:30Z');
    const after = await ok('GET', `/reservations/${id}`);
    expect(after.lines[0]).toMatchObject({
      backordered: [],
      allocations: [{ sku, locationId: 'W1', quantity: 3 }],
    });
    expect(await balance(sku, 'W1')).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    expect((await ok('GET', '/inventory/ledger-check')).ok).toBe(true);
  });

  it('records an adjustment once when ten requests with its id race, and replays it to the rest', async () => {
    const sku = uniqueName('ADJ');
    await product(sku);
    const adjustment = {
      id: uniqueName('adj'),
      sku,
      locationId: 'W1',
      delta: 4,
      reason: 'received',
      occurredAt: '2026-11-01T08:00:00Z',
    };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => call('POST', '/inventory/adjustments', adjustment)),
    );
    expect(results.map((result) => result.status).sort()).toEqual([
      200, 200, 200, 200, 200, 200, 200, 200, 200, 201,
    ]);
    const first = results.find((result) => result.status === 201)!.body;
    for (const result of results) expect(result.body).toEqual(first);
    expect(await balance(sku, 'W1')).toMatchObject({ onHand: 4, version: 1 });
    const movements = (await ok('GET', `/inventory/${sku}/movements`)).movements;
    expect(movements).toHaveLength(1);
    const other = await call('POST', '/inventory/adjustments', { ...adjustment, delta: 5 });
    expect(other).toMatchObject({ status: 409, body: { code: 'adjustment_id_conflict' } });
    expect((await ok('GET', '/inventory/ledger-check')).ok).toBe(true);
  });

  it('takes back one SKU partly to the shelf and partly as damaged: two movements on one balance', async () => {
    const sku = uniqueName('RET');
    await product(sku);
    await receive(sku, 'S1', 5);
    const taken = await call('POST', '/inventory/returns', {
      id: uniqueName('ret'),
      locationId: 'S1',
      occurredAt: '2026-11-01T08:50:00Z',
      lines: [
        { sku, quantity: 2, disposition: 'restock' },
        { sku, quantity: 1, disposition: 'damaged' },
      ],
    });
    expect(taken.status).toBe(201);
    // Both movements are applied under one lock of the key, the second on top of the first.
    expect(await balance(sku, 'S1')).toMatchObject({ onHand: 7, damaged: 1, version: 3 });
    const kinds = (await ok('GET', `/inventory/${sku}/movements`)).movements.map((m: any) => m.kind);
    expect(kinds).toEqual(['received', 'returned', 'returned_damaged']);
    expect((await ok('GET', '/inventory/ledger-check')).ok).toBe(true);
  });

  it('does not subtract a late offline sale twice after a count', async () => {
    const sku = uniqueName('CNT');
    await product(sku);
    await receive(sku, 'S1', 10);
    const count = await ok('POST', '/inventory/counts', {
      id: uniqueName('count'),
      locationId: 'S1',
      countedAt: '2026-11-01T08:30:00Z',
      lines: [{ sku, quantity: 7 }],
    });
    expect(count.lines[0]).toMatchObject({ expected: 10, variance: -3 });
    const sale = (saleId: string, occurredAt: string) =>
      foreignEvent('pos', 'pos.sale.completed', `sale/${saleId}`, 1, {
        saleId,
        storeId: 'S1',
        terminalId: 't1',
        occurredAt,
        currency: 'EUR',
        lines: [{ lineNo: 1, sku, quantity: 2, unitPrice: 100, lineTotal: 200 }],
        payments: [{ method: 'cash', amount: 200 }],
        total: 200,
      });
    await erp().deliver('pos', sale(uniqueName('s'), '2026-11-01T08:15:00.000Z'));
    expect(await balance(sku, 'S1')).toMatchObject({ onHand: 7 });
    await erp().deliver('pos', sale(uniqueName('s'), '2026-11-01T08:45:00.000Z'));
    expect(await balance(sku, 'S1')).toMatchObject({ onHand: 5 });
    const kinds = (await ok('GET', `/inventory/${sku}/movements`)).movements.map((m: any) => m.kind);
    expect(kinds).toEqual(['received', 'sold', 'count_offset', 'counted', 'sold']);
    expect((await ok('GET', '/inventory/ledger-check')).ok).toBe(true);
  });
});
