import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutbox, uuidV7Ids } from '@tillstream/kernel';
import { createContextHarness, harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { createErp } from '../src/index.js';
import { changeOf, type Movement } from '../src/inventory/stock.decide.js';
import { createStockStore } from '../src/inventory/stock.store.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

describe.each(harnessDialects(pgUrl))('ERP stock store on a real %s database', (dialect) => {
  let erp: ContextHarness;
  beforeAll(async () => {
    erp = await createContextHarness(createErp, { dialect, pgUrl, name: 'erp' });
  });
  afterAll(async () => erp?.close());

  const sold = (sku: string, locationId: string, quantity: number, saleId = 't1'): Movement => ({
    id: `sale/${saleId}/${sku}@${locationId}`,
    sku,
    locationId,
    kind: 'sold',
    change: changeOf({ onHand: -quantity }),
    occurredAt: '2026-11-01T10:00:00.000Z',
    reference: `sale/${saleId}`,
  });

  it('creates the balance rows of more keys than one statement takes, each exactly once', async () => {
    const stock = createStockStore({
      outbox: createOutbox('erp', { clock: erp.clock, ids: uuidV7Ids }),
      clock: erp.clock,
      ids: uuidV7Ids,
    });
    // 1,201 keys cross two of the statement boundaries; the same keys listed twice must not trip a conflict.
    const keys = Array.from({ length: 1_201 }, (_, index) => ({
      sku: `BULK-${String(index).padStart(5, '0')}`,
      locationId: index % 2 === 0 ? 'S1' : 'S2',
    }));
    await erp.db.transaction(async (tx) => {
      await stock.lock(tx, keys, [...keys].reverse().concat(keys.slice(0, 10)));
      await stock.applyAll(
        tx,
        keys.map((key) => sold(key.sku, key.locationId, 1)),
      );
    });
    // A second sale of the first keys, beside new ones: rows that exist are left as they are.
    await erp.db.transaction((tx) =>
      stock.applyAll(tx, [sold('BULK-00000', 'S1', 2, 't2'), sold('BULK-NEW', 'S1', 3, 't2')]),
    );
    const rows = await erp.db.query<{ sku: string; on_hand: number | string; version: number | string }>(
      "SELECT sku, on_hand, version FROM stock_balances WHERE sku LIKE 'BULK-%' ORDER BY sku",
    );
    expect(rows).toHaveLength(1_202);
    expect(rows.map((row) => [row.sku, Number(row.on_hand), Number(row.version)])).toEqual(
      expect.arrayContaining([
        ['BULK-00000', -3, 2],
        ['BULK-00001', -1, 1],
        ['BULK-01200', -1, 1],
        ['BULK-NEW', -3, 1],
      ]),
    );
    expect(rows.filter((row) => Number(row.version) === 1)).toHaveLength(1_201);
  });
});
