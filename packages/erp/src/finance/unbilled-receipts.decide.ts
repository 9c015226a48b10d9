import { invalid, isCursorInstant, packCursor, unpackCursor } from '@tillstream/kernel';
import { ACCOUNTS } from './accounts.js';
import type { JournalEntry } from './journal.decide.js';
import { waitsOn2310, type BilledReceipt } from './supplier-bill.decide.js';

/**
 * A receipt waiting on 2310 that no bill has yet: a row of the work list the valuation adds to when it books
 * the receipt and a bill takes away when it bills it.
 */
export type UnbilledReceipt = BilledReceipt & {
  /** `received` (an adjustment) or `po_received` (an item no line of the order listed). */
  kind: string;
  currency: string;
  /** When the goods came in (UTC, as the stock ledger has it): the list's order, oldest first. */
  occurredAt: string;
};

/** A receipt the valuation valued, as `erp.stock.changed` carries it, with its cost from the stock ledger. */
export interface ReceivedMovement {
  id: string;
  kind: string;
  sku: string;
  locationId: string;
  quantity: number;
  occurredAt: string;
  /** What it cost per unit, as its ledger row says; null: received at the average. */
  unitCost: number | null;
}

/**
 * The row the valuation of a receipt adds to the work list, at what its entry credited 2310 (credit less
 * debit), in the SKU's `currency`. A receipt outside purchase orders that its valuation booked nothing to
 * 2310 for is listed too, at 0: a SKU that never had a cost received at the average posts no entry at all,
 * one that brought back stock sold short may only correct cost of sales. The row is what tells a bill that the
 * valuation has been there (the value is known, and it is nothing) from a receipt it has not valued yet. Null
 * for anything that does not wait on 2310 (an order's receipt at its agreed cost waits on 2300; a sale, a
 * count), and for an entry that is not this receipt's `goods_received` entry.
 */
export function unbilledReceiptOf(
  movement: ReceivedMovement,
  currency: string,
  entry: JournalEntry | null,
): UnbilledReceipt | null {
  if (!waitsOn2310(movement)) return null;
  if (entry && (entry.kind !== 'goods_received' || entry.sourceId !== movement.id)) return null;
  const on2310 = (entry?.lines ?? []).filter((line) => line.account === ACCOUNTS.receivedOutsideOrders.code);
  return {
    movementId: movement.id,
    kind: movement.kind,
    sku: movement.sku,
    locationId: movement.locationId,
    quantity: movement.quantity,
    occurredAt: movement.occurredAt,
    currency,
    value: on2310.reduce((sum, line) => sum + line.credit - line.debit, 0),
  };
}

/** Where a page of the work list ended: the last receipt's place in its order. */
export interface UnbilledCursor {
  occurredAt: string;
  movementId: string;
}

/** The last receipt's place as `next`: opaque (base64url of JSON), so its form can change without breaking callers. */
export function encodeUnbilledCursor(cursor: UnbilledCursor): string {
  return packCursor([cursor.occurredAt, cursor.movementId]);
}

/**
 * The place a `next` names. Anything this list did not hand out is 400 `invalid_cursor`, never a guess:
 * the entry numbers it handed out before (`42`) among them, since they name no place in this order.
 */
export function decodeUnbilledCursor(after: string): UnbilledCursor {
  const parts = unpackCursor(after);
  const [occurredAt, movementId] = parts ?? [];
  if (parts?.length !== 2 || !isCursorInstant(occurredAt) || typeof movementId !== 'string' || !movementId)
    throw invalid('invalid_cursor', `${after.slice(0, 100)} is not a cursor of the unbilled receipts`);
  return { occurredAt, movementId };
}

/**
 * A page of `limit` from rows read one beyond it (so a last page full to the brim has no empty page after
 * it), and the cursor of the next one.
 */
export function unbilledPage(
  rows: readonly UnbilledReceipt[],
  limit: number,
): { receipts: UnbilledReceipt[]; next: string | null } {
  const receipts = rows.slice(0, limit);
  const last = receipts.at(-1);
  return {
    receipts,
    next: rows.length > limit && last ? encodeUnbilledCursor(last) : null,
  };
}
