import { afterEach, describe, expect, it } from 'vitest';
import { kernelMigrations, runMigrations, type Tx } from '@tillstream/kernel';
import { harnessDialects, openEmptyDatabase, type EmptyDatabase } from '@tillstream/kernel/testing';
import { erpMigrations } from '../src/erp.migrations.js';
import { createPurchaseOrderStore } from '../src/inventory/purchase-order.store.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

/** A `po_received` movement as a receipt before 018 wrote it: one per received line, under the receipt. */
const movement = (tx: Tx, reference: string, sku: string, quantity: number, occurredAt: string) =>
  tx.execute(
    `INSERT INTO stock_movements (id, sku, location_id, kind, quantity, occurred_at, recorded_at, reference)
     VALUES ($1, $2, 'W1', $3, $4, $5, '2026-11-02T00:00:00.000Z', $6)`,
    [
      `${reference}/po_received/${sku}@W1`,
      sku,
      reference.startsWith('purchase-order/') ? 'po_received' : 'transfer_received',
      quantity,
      occurredAt,
      reference,
    ],
  );

async function order(tx: Tx, id: string, lines: Array<[string, number, number | null, number]>) {
  await tx.execute(
    `INSERT INTO purchase_orders (id, supplier_id, location_id, currency, status, total, request_hash, version,
       created_at, submitted_at)
     VALUES ($1, 'acme', 'W1', 'EUR', 'partially_received', 0, 'h', 9, '2026-10-01T00:00:00.000Z',
       '2026-10-01T00:00:00.000Z')`,
    [id],
  );
  for (const [index, [sku, quantity, unitCost, received]] of lines.entries())
    await tx.execute(
      `INSERT INTO purchase_order_lines (purchase_order_id, sku, line_no, quantity, unit_cost, received)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, sku, index + 1, quantity, unitCost, received],
    );
}

const claim = (tx: Tx, table: string, owner: string, id: string, documentId: string, at: string) =>
  tx.execute(`INSERT INTO ${table} (id, ${owner}, request_hash, received_at) VALUES ($1, $2, 'h', $3)`, [
    id,
    documentId,
    at,
  ]);

/** A purchase order receipt's claim, as a receipt before 018 wrote it. */
const orderReceipt = (tx: Tx, id: string, orderId: string, at: string) =>
  claim(tx, 'purchase_order_receipts', 'purchase_order_id', id, orderId, at);

describe.each(harnessDialects(pgUrl))(
  'ERP migration 018 on a %s database that already holds purchase order receipts',
  (dialect) => {
    let database: EmptyDatabase;
    afterEach(async () => database.drop());

    it("rebuilds each order's receipts from their po_received movements, in recording order", async () => {
      database = await openEmptyDatabase(dialect, 'erp', pgUrl);
      const { db } = database;
      await runMigrations(db, kernelMigrations);
      await runMigrations(
        db,
        erpMigrations.filter((migration) => migration.id < '018'),
      );
      await db.transaction(async (tx) => {
        await order(tx, 'po-A', [
          ['X', 10, 450, 8],
          ['Y', 4, 1200, 4],
          ['Z', 0, null, 2],
        ]);
        await order(tx, 'po-B', [['X', 5, 100, 1]]);
        // Recorded first, its lines written in another order than the order's lines.
        await orderReceipt(tx, 'r-b', 'po-A', '2026-11-01T10:00:00.000Z');
        await movement(tx, 'purchase-order/po-A/receipt/r-b', 'Y', 4, '2026-11-01T07:30:00.000Z');
        await movement(tx, 'purchase-order/po-A/receipt/r-b', 'X', 6, '2026-11-01T07:30:00.000Z');
        // Recorded second though dated earlier (late paperwork); then two in one millisecond, which the
        // migration can only tell apart by id.
        await orderReceipt(tx, 'r-a', 'po-A', '2026-11-01T10:05:00.000Z');
        await movement(tx, 'purchase-order/po-A/receipt/r-a', 'Z', 2, '2026-10-30T12:00:00.000Z');
        await orderReceipt(tx, 'r-d', 'po-A', '2026-11-01T10:10:00.000Z');
        await movement(tx, 'purchase-order/po-A/receipt/r-d', 'X', 1, '2026-11-01T10:10:00.000Z');
        await orderReceipt(tx, 'r-e', 'po-A', '2026-11-01T10:10:00.000Z');
        await movement(tx, 'purchase-order/po-A/receipt/r-e', 'X', 1, '2026-11-01T10:10:00.000Z');
        await orderReceipt(tx, 'r-c', 'po-B', '2026-11-01T10:10:00.000Z');
        await movement(tx, 'purchase-order/po-B/receipt/r-c', 'X', 1, '2026-11-01T09:00:00.000Z');
        // A transfer's receipt and an adjustment are not purchase order receipts.
        await claim(tx, 'transfer_receipts', 'transfer_id', 'r-t', 'po-A', '2026-11-01T10:00:00.000Z');
        await movement(tx, 'transfer/po-A/receipt/r-t', 'X', 3, '2026-11-01T09:00:00.000Z');
        await movement(tx, 'adjustment/po-A', 'Y', 5, '2026-11-01T09:00:00.000Z');
      });

      expect(
        await runMigrations(
          db,
          erpMigrations.filter((migration) => migration.id < '019'),
        ),
      ).toEqual(['018_purchase_order_receipts']);
      // The store reads the schema as it is now: the migrations after 018 add to it, rebuild nothing.
      await runMigrations(db, erpMigrations);

      const store = createPurchaseOrderStore();
      expect((await store.find(db, 'po-A'))!.receipts).toEqual([
        {
          receiptId: 'r-b',
          receivedAt: '2026-11-01T07:30:00.000Z',
          // What was not kept: the receipt's own line order. The order's line order stands in for it.
          lines: [
            { sku: 'X', quantity: 6 },
            { sku: 'Y', quantity: 4 },
          ],
        },
        { receiptId: 'r-a', receivedAt: '2026-10-30T12:00:00.000Z', lines: [{ sku: 'Z', quantity: 2 }] },
        { receiptId: 'r-d', receivedAt: '2026-11-01T10:10:00.000Z', lines: [{ sku: 'X', quantity: 1 }] },
        { receiptId: 'r-e', receivedAt: '2026-11-01T10:10:00.000Z', lines: [{ sku: 'X', quantity: 1 }] },
      ]);
      expect((await store.find(db, 'po-B'))!.receipts).toEqual([
        { receiptId: 'r-c', receivedAt: '2026-11-01T09:00:00.000Z', lines: [{ sku: 'X', quantity: 1 }] },
      ]);
      const numbered = await db.query<{ id: string; receipt_no: number | string }>(
        'SELECT id, receipt_no FROM purchase_order_receipts ORDER BY id',
      );
      expect(numbered.map((row) => [row.id, Number(row.receipt_no)])).toEqual([
        ['r-a', 2],
        ['r-b', 1],
        ['r-c', 1],
        ['r-d', 3],
        ['r-e', 4],
      ]);
      // Each order's received counts still equal what its listed receipts add up to.
      for (const id of ['po-A', 'po-B']) {
        const found = (await store.find(db, id))!;
        const sums = new Map<string, number>();
        for (const line of found.receipts.flatMap((receipt) => receipt.lines))
          sums.set(line.sku, (sums.get(line.sku) ?? 0) + line.quantity);
        expect(Object.fromEntries(sums)).toEqual(
          Object.fromEntries(found.lines.map((line) => [line.sku, line.received])),
        );
      }
    });

    it('runs on a database with no purchase orders at all', async () => {
      database = await openEmptyDatabase(dialect, 'erp', pgUrl);
      await runMigrations(database.db, kernelMigrations);
      expect(await runMigrations(database.db, erpMigrations)).toContain('018_purchase_order_receipts');
      expect(await database.db.query('SELECT * FROM purchase_order_receipt_lines')).toEqual([]);
    });
  },
);
