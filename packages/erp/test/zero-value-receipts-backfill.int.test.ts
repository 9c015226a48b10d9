import { afterEach, describe, expect, it } from 'vitest';
import { kernelMigrations, runMigrations, type Tx } from '@tillstream/kernel';
import { harnessDialects, openEmptyDatabase, type EmptyDatabase } from '@tillstream/kernel/testing';
import { erpMigrations } from '../src/erp.migrations.js';
import { financeMigrations } from '../src/finance/finance.migrations.js';
import { decideSupplierBill } from '../src/finance/supplier-bill.decide.js';
import { createSupplierBillStore } from '../src/finance/supplier-bill.store.js';
import { createUnbilledReceiptStore } from '../src/finance/unbilled-receipts.store.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;
const AT = '2026-10-01T06:00:00.000Z';

/**
 * What the valuation's log says of a movement's `erp.stock.changed`: applied (an inbox row, its outbox row at
 * or before the checkpoint), `pruned` (no outbox row left), `waiting` (past the checkpoint, no inbox row),
 * `parked` (a dead letter), `redriven` (a dead letter applied since), `inboxPruned` (at or before the
 * checkpoint, its inbox row pruned by retention).
 */
type Log = 'applied' | 'pruned' | 'waiting' | 'parked' | 'redriven' | 'inboxPruned';

/** A stock movement of SKU `FREE` at S1 (valued in EUR) unless said otherwise, and what became of it. */
interface Movement {
  id: string;
  kind: string;
  unitCost: number | null;
  log: Log;
  sku?: string;
  entry?: Array<[account: string, debit: number, credit: number]>;
  billed?: boolean;
}

const movements: Movement[] = [
  { id: 'adjustment/applied', kind: 'received', unitCost: null, log: 'applied' },
  { id: 'adjustment/pruned', kind: 'received', unitCost: null, log: 'pruned' },
  { id: 'adjustment/at-zero', kind: 'received', unitCost: 0, log: 'pruned' },
  { id: 'po/1/receipt/1/UNLISTED@S1', kind: 'po_received', unitCost: null, log: 'applied' },
  { id: 'adjustment/redriven', kind: 'received', unitCost: null, log: 'redriven' },
  // Brought back stock sold short at nothing: only cost of sales was corrected.
  {
    id: 'adjustment/short',
    kind: 'received',
    unitCost: 0,
    log: 'waiting',
    entry: [
      ['1300', 100, 0],
      ['5000', 0, 100],
    ],
  },
  { id: 'adjustment/waiting', kind: 'received', unitCost: null, log: 'waiting' },
  { id: 'adjustment/parked', kind: 'received', unitCost: null, log: 'parked' },
  { id: 'adjustment/inbox-pruned', kind: 'received', unitCost: null, log: 'inboxPruned' },
  { id: 'adjustment/billed', kind: 'received', unitCost: null, log: 'applied', billed: true },
  {
    id: 'adjustment/costed',
    kind: 'received',
    unitCost: 120,
    log: 'applied',
    entry: [
      ['1300', 120, 0],
      ['2310', 0, 120],
    ],
  },
  { id: 'po/1/receipt/1/AGREED@S1', kind: 'po_received', unitCost: 100, log: 'applied' },
  { id: 'adjustment/unvalued-sku', kind: 'received', unitCost: null, log: 'applied', sku: 'NEW' },
  { id: 'sale/s-1/FREE@S1', kind: 'sold', unitCost: null, log: 'applied' },
];

/** The movement, its entry, its bill and its event where the valuation's log leaves it. */
async function recordAsTheValuationLeftIt(tx: Tx, movement: Movement, index: number): Promise<void> {
  const sku = movement.sku ?? 'FREE';
  await tx.execute(
    `INSERT INTO stock_movements (id, sku, location_id, kind, quantity, occurred_at, recorded_at, reference, unit_cost)
     VALUES ($1, $2, 'S1', $3, 1, $4, $4, $1, $5)`,
    [movement.id, sku, movement.kind, AT, movement.unitCost],
  );
  if (movement.entry) {
    const [entry] = await tx.query<{ entry_no: number | string }>(
      `INSERT INTO journal_entries (kind, source_id, location_id, channel, occurred_at, currency, event_id, posted_at)
       VALUES ('goods_received', $1, 'S1', 'inventory', $2, 'EUR', $1, $2) RETURNING entry_no`,
      [movement.id, AT],
    );
    for (const [line, [account, debit, credit]] of movement.entry.entries())
      await tx.execute(
        'INSERT INTO journal_lines (entry_no, line_no, account, debit, credit) VALUES ($1, $2, $3, $4, $5)',
        [entry!.entry_no, line + 1, account, debit, credit],
      );
  }
  if (movement.billed)
    await tx.execute(
      `INSERT INTO supplier_bill_receipts (movement_id, bill_id, line_no, value) VALUES ($1, 'bill-0', 1, 0)`,
      [movement.id],
    );
  if (movement.log === 'pruned') return;
  const eventId = `event-${index}`;
  const envelope = JSON.stringify({
    id: eventId,
    type: 'erp.stock.changed',
    subject: `stock/${sku}@S1`,
    data: { sku, locationId: 'S1', movement: { id: movement.id, kind: movement.kind, quantity: 1 } },
  });
  // Positions 1 to 100 are at or before the checkpoint (100), the waiting ones after it.
  const position = movement.log === 'waiting' ? 200 + index : 1 + index;
  // SQLite's outbox is the valuation's log, numbered as its checkpoint counts; PostgreSQL numbers its own.
  const numbered = tx.dialect === 'sqlite';
  await tx.execute(
    `INSERT INTO outbox (id, type, subject, envelope${numbered ? ', position' : ''})
     VALUES ($1, 'erp.stock.changed', $2, $3${numbered ? ', $4' : ''})`,
    [eventId, `stock/${sku}@S1`, envelope, ...(numbered ? [position] : [])],
  );
  if (movement.log === 'applied' || movement.log === 'redriven')
    await tx.execute(
      `INSERT INTO inbox (consumer, event_id, processed_at) VALUES ('erp.valuation', $1, $2)`,
      [eventId, AT],
    );
  if (movement.log === 'parked' || movement.log === 'redriven')
    await tx.execute(
      `INSERT INTO dead_letters (event_id, consumer, source, position, type, envelope, error, attempts, failed_at,
         redriven_at)
       VALUES ($1, 'erp.valuation', 'erp', $2, 'erp.stock.changed', $3, 'Error: boom', 5, $4, $5)`,
      [eventId, position, envelope, AT, movement.log === 'redriven' ? AT : null],
    );
}

describe.each(harnessDialects(pgUrl))(
  'Finance migration 033 on a %s database whose valuation valued receipts at nothing',
  (dialect) => {
    let database: EmptyDatabase;
    afterEach(async () => database.drop());

    it('lists at 0 those the valuation certainly valued and no bill has, so they can be billed', async () => {
      database = await openEmptyDatabase(dialect, 'erp', pgUrl);
      const { db } = database;
      await runMigrations(db, kernelMigrations);
      await runMigrations(db, [
        ...erpMigrations,
        ...financeMigrations.filter((migration) => migration.id < '033'),
      ]);
      await db.transaction(async (tx) => {
        await tx.execute(
          `INSERT INTO stock_valuations (sku, currency, quantity, value, unit_cost_micros, updated_at)
           VALUES ('FREE', 'EUR', 20, 220, 11000000, $1)`,
          [AT],
        );
        await tx.execute(
          `INSERT INTO consumer_checkpoints (consumer, source, position, updated_at)
           VALUES ('erp.valuation', 'erp', 100, $1)`,
          [AT],
        );
        for (const [index, movement] of movements.entries())
          await recordAsTheValuationLeftIt(tx, movement, index);
        await tx.execute(
          `INSERT INTO unbilled_receipts (movement_id, kind, sku, location_id, quantity, occurred_at, currency, value)
           VALUES ('adjustment/costed', 'received', 'FREE', 'S1', 1, $1, 'EUR', 120)`,
          [AT],
        );
      });

      // Later finance migrations run too; this test is about 033.
      expect(await runMigrations(db, financeMigrations)).toContain('033_finance_zero_value_receipts');

      const listed = await createUnbilledReceiptStore().page(db, { limit: 100 });
      const atNothing = [
        'adjustment/applied',
        'adjustment/pruned',
        'adjustment/at-zero',
        'po/1/receipt/1/UNLISTED@S1',
        'adjustment/redriven',
        'adjustment/short',
        // Only SQLite's checkpoint (the outbox's own positions) says it was read; PostgreSQL's inbox forgot it.
        ...(dialect === 'sqlite' ? ['adjustment/inbox-pruned'] : []),
      ];
      expect(listed.map((row) => [row.movementId, row.currency, row.value]).sort()).toEqual(
        [...atNothing.map((id) => [id, 'EUR', 0]), ['adjustment/costed', 'EUR', 120]].sort(),
      );
      expect(listed.find((row) => row.movementId === 'adjustment/applied')).toEqual({
        movementId: 'adjustment/applied',
        kind: 'received',
        sku: 'FREE',
        locationId: 'S1',
        quantity: 1,
        occurredAt: AT,
        currency: 'EUR',
        value: 0,
      });

      // A bill takes what was listed at 0, and the receipt still waiting for the valuation is to be retried.
      const refusal = await db.transaction(async (tx) => {
        const found = await createSupplierBillStore().receipts(tx, [
          'adjustment/applied',
          'adjustment/waiting',
        ]);
        const command = {
          id: 'bill-1',
          supplierId: 'bakery',
          supplierInvoiceNumber: 'B-1',
          currency: 'EUR',
          invoicedAt: AT,
          dueAt: AT,
          total: 300,
        };
        expect(decideSupplierBill({ ...command, receipts: ['adjustment/applied'] }, found)).toMatchObject({
          matched: 0,
          receipts: [{ movementId: 'adjustment/applied', value: 0 }],
        });
        try {
          decideSupplierBill({ ...command, receipts: ['adjustment/waiting'] }, found);
          return null;
        } catch (error) {
          return (error as { code: string }).code;
        }
      });
      expect(refusal).toBe('bill_receipt_not_booked');
    });
  },
);
