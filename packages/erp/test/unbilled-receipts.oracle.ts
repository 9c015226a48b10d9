import { asNumber, type Db } from '@tillstream/kernel';
import type { UnbilledReceipt } from '../src/finance/unbilled-receipts.decide.js';

/**
 * The receipts waiting on 2310, computed from the journal as the list did before it had a table of its own:
 * every `goods_received` entry with a line on 2310 whose movement no bill has taken, at what it credited
 * there. The oracle the table must equal at every moment. Sorted by movement id as JavaScript sorts, so two
 * answers compare whatever order an engine reads them in.
 */
export async function unbilledByJournal(db: Pick<Db, 'query'>): Promise<UnbilledReceipt[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT m.id AS movement_id, m.kind, m.sku, m.location_id, m.quantity, m.occurred_at, e.currency,
       (SELECT SUM(l.credit - l.debit) FROM journal_lines l
        WHERE l.entry_no = e.entry_no AND l.account = '2310') AS value
     FROM journal_entries e
     JOIN stock_movements m ON m.id = e.source_id
     LEFT JOIN supplier_bill_receipts r ON r.movement_id = m.id
     WHERE e.kind = 'goods_received' AND r.movement_id IS NULL
       AND EXISTS (SELECT 1 FROM journal_lines l WHERE l.entry_no = e.entry_no AND l.account = '2310')`,
  );
  return byMovement(
    rows.map((row) => ({
      movementId: row.movement_id as string,
      kind: row.kind as string,
      sku: row.sku as string,
      locationId: row.location_id as string,
      quantity: asNumber(row.quantity),
      occurredAt: row.occurred_at as string,
      currency: row.currency as string,
      value: asNumber(row.value),
    })),
  );
}

/** Receipts in movement id order as JavaScript compares strings: one order for answers of either engine. */
export const byMovement = <T extends { movementId: string }>(rows: readonly T[]): T[] =>
  [...rows].sort((a, b) => (a.movementId < b.movementId ? -1 : a.movementId > b.movementId ? 1 : 0));
