import type { StockChangedV1Data } from '@tillstream/contracts';
import { asNumber, type Db } from '@tillstream/kernel';
import type { UnbilledReceipt } from '../src/finance/unbilled-receipts.decide.js';

const toReceipt = (row: Record<string, unknown>): UnbilledReceipt => ({
  movementId: row.movement_id as string,
  kind: row.kind as string,
  sku: row.sku as string,
  locationId: row.location_id as string,
  quantity: asNumber(row.quantity),
  occurredAt: row.occurred_at as string,
  currency: row.currency as string,
  value: asNumber(row.value),
});

/** The movements whose `erp.stock.changed` the valuation applied: its inbox, read against the outbox. */
async function valuedMovements(db: Pick<Db, 'query'>): Promise<Set<string>> {
  const applied = new Set(
    (await db.query<{ event_id: string }>("SELECT event_id FROM inbox WHERE consumer = 'erp.valuation'")).map(
      (row) => row.event_id,
    ),
  );
  const events = await db.query<{ id: string; envelope: string }>(
    "SELECT id, envelope FROM outbox WHERE type = 'erp.stock.changed'",
  );
  return new Set(
    events
      .filter((event) => applied.has(event.id))
      .map((event) => (JSON.parse(event.envelope) as { data: StockChangedV1Data }).data.movement.id),
  );
}

/**
 * The receipts waiting on 2310, computed from the journal as the list did before it had a table of its own:
 * every `goods_received` entry with a line on 2310 whose movement no bill has taken, at what it credited
 * there; and, at 0, each receipt outside purchase orders no bill has that the valuation applied and booked
 * nothing to 2310 for (a SKU that never had a cost). The oracle the table must equal at every moment. Sorted
 * by movement id as JavaScript sorts, so two answers compare whatever order an engine reads them in.
 */
export async function unbilledByJournal(db: Pick<Db, 'query'>): Promise<UnbilledReceipt[]> {
  const booked = await db.query<Record<string, unknown>>(
    `SELECT m.id AS movement_id, m.kind, m.sku, m.location_id, m.quantity, m.occurred_at, e.currency,
       (SELECT SUM(l.credit - l.debit) FROM journal_lines l
        WHERE l.entry_no = e.entry_no AND l.account = '2310') AS value
     FROM journal_entries e
     JOIN stock_movements m ON m.id = e.source_id
     LEFT JOIN supplier_bill_receipts r ON r.movement_id = m.id
     WHERE e.kind = 'goods_received' AND r.movement_id IS NULL
       AND EXISTS (SELECT 1 FROM journal_lines l WHERE l.entry_no = e.entry_no AND l.account = '2310')`,
  );
  const valued = await valuedMovements(db);
  const atNothing = await db.query<Record<string, unknown>>(
    `SELECT m.id AS movement_id, m.kind, m.sku, m.location_id, m.quantity, m.occurred_at, v.currency, 0 AS value
     FROM stock_movements m JOIN stock_valuations v ON v.sku = m.sku
     WHERE (m.kind = 'received' OR (m.kind = 'po_received' AND m.unit_cost IS NULL))
       AND NOT EXISTS (SELECT 1 FROM supplier_bill_receipts r WHERE r.movement_id = m.id)
       AND NOT EXISTS (SELECT 1 FROM journal_entries e JOIN journal_lines l ON l.entry_no = e.entry_no
         WHERE e.kind = 'goods_received' AND e.source_id = m.id AND l.account = '2310')`,
  );
  return byMovement(
    [...booked, ...atNothing.filter((row) => valued.has(row.movement_id as string))].map(toReceipt),
  );
}

/** Receipts in movement id order as JavaScript compares strings: one order for answers of either engine. */
export const byMovement = <T extends { movementId: string }>(rows: readonly T[]): T[] =>
  [...rows].sort((a, b) => (a.movementId < b.movementId ? -1 : a.movementId > b.movementId ? 1 : 0));
