import { conflict, fingerprintOf, invalid } from '@tillstream/kernel';
import { changeOf, type Movement } from './stock.decide.js';

export type PurchaseOrderStatus = 'draft' | 'ordered' | 'partially_received' | 'received' | 'cancelled';

/** Statuses in which what has not arrived yet is on order: the supplier owes it. */
export const OPEN_STATUSES: readonly PurchaseOrderStatus[] = ['ordered', 'partially_received'];

/**
 * The largest ordered value, in minor units, as for money elsewhere: sums stay far inside
 * Number.MAX_SAFE_INTEGER and fit a BIGINT on either engine.
 */
export const MAX_ORDER_VALUE = 1e12;

export interface PurchaseOrderLine {
  sku: string;
  /** Units ordered (0 for an item that arrived without being on the order). */
  quantity: number;
  /** Agreed cost per unit in minor units of the order's currency; null for an item that was not ordered. */
  unitCost: number | null;
  received: number;
  /** Units invoiced so far, over all invoices: never more than `received`. */
  invoiced: number;
}

export interface Discrepancy {
  sku: string;
  ordered: number;
  received: number;
  /** received − ordered: negative is short, positive is over (or not ordered at all). */
  difference: number;
}

/** One delivery taken in against the order, as its receipt listed it. */
export interface PurchaseOrderReceipt {
  receiptId: string;
  /** When the goods arrived: the receipt's business time (its `occurredAt`, else when it was recorded), UTC. */
  receivedAt: string;
  lines: Array<{ sku: string; quantity: number }>;
}

/** A supplier's invoice matched to the order, as its view lists it. */
export interface PurchaseOrderInvoice {
  invoiceId: string;
  /** The supplier's own number for it, as printed on it: taken once per supplier (case and spaces aside). */
  supplierInvoiceNumber: string;
  /** The invoice's date (business time), UTC. */
  invoicedAt: string;
  /** When the supplier is to be paid, UTC; an invoice taken before due dates were kept is due on its date. */
  dueAt: string;
  /** What the supplier bills: Σ quantity × invoiced unitCost, in minor units. */
  total: number;
  /** What the invoiced units came into stock at: Σ quantity × the order's agreed unitCost, in minor units. */
  matched: number;
}

export interface Supplier {
  id: string;
  name?: string;
}

export interface PurchaseOrder {
  id: string;
  supplier: Supplier;
  locationId: string;
  currency: string;
  expectedAt: string | null;
  status: PurchaseOrderStatus;
  lines: PurchaseOrderLine[];
  /** Ordered value: Σ quantity × unitCost, in minor units. */
  total: number;
  discrepancies: Discrepancy[];
  /** Every receipt taken against it, in the order they were taken (not by `receivedAt`: paperwork runs late). */
  receipts: PurchaseOrderReceipt[];
  /** Every supplier invoice matched to it, in the order they were taken. */
  invoices: PurchaseOrderInvoice[];
  /** One more per change after creation (edits of a draft too); a draft has published nothing. */
  version: number;
  requestHash: string;
  createdAt: string;
  submittedAt: string | null;
  /** When it stopped being open: received in full, closed by a receipt, or cancelled. */
  closedAt: string | null;
}

export interface PurchaseOrderCommand {
  id: string;
  supplier: Supplier;
  locationId: string;
  /** ISO 8601 in UTC as the route normalised it, so equal instants fingerprint alike. */
  expectedAt?: string;
  currency: string;
  lines: Array<{ sku: string; quantity: number; unitCost: number }>;
}

export interface ReceiptCommand {
  id: string;
  occurredAt: string;
  lines: Array<{ sku: string; quantity: number }>;
  /** Closes the order: whatever has not arrived will not come (a discrepancy, not a stock movement). */
  close: boolean;
}

/** A draft's new content: what a create says, under the id the order already has. */
export type PurchaseOrderEdit = Omit<PurchaseOrderCommand, 'id'>;

type Plan = { purchaseOrder: PurchaseOrder; movements: Movement[]; receipt: PurchaseOrderReceipt };

export const assertDistinct = (lines: ReadonlyArray<{ sku: string }>) => {
  if (new Set(lines.map((line) => line.sku)).size !== lines.length)
    throw invalid('duplicate_line', 'A SKU appears on two lines');
};

/** What tells a faithful retry of a create from another order under the same id. */
export const purchaseOrderFingerprint = (command: PurchaseOrderCommand): string =>
  fingerprintOf([
    command.supplier.id,
    command.supplier.name ?? null,
    command.locationId,
    command.expectedAt ?? null,
    command.currency,
    command.lines.map((line) => [line.sku, line.quantity, line.unitCost]),
  ]);

export function newPurchaseOrder(command: PurchaseOrderCommand, now: string): PurchaseOrder {
  assertDistinct(command.lines);
  const total = command.lines.reduce((sum, line) => sum + line.quantity * line.unitCost, 0);
  if (total > MAX_ORDER_VALUE)
    throw invalid('purchase_order_value_too_large', `Purchase order ${command.id} is worth ${total}`);
  return {
    id: command.id,
    supplier: command.supplier.name
      ? { id: command.supplier.id, name: command.supplier.name }
      : { id: command.supplier.id },
    locationId: command.locationId,
    currency: command.currency,
    expectedAt: command.expectedAt ?? null,
    status: 'draft',
    lines: command.lines.map((line) => ({ ...line, received: 0, invoiced: 0 })),
    total,
    discrepancies: [],
    receipts: [],
    invoices: [],
    version: 0,
    requestHash: purchaseOrderFingerprint(command),
    createdAt: now,
    submittedAt: null,
    closedAt: null,
  };
}

export const stateConflict = (order: PurchaseOrder, action: string) =>
  conflict('purchase_order_state', `Purchase order ${order.id} is ${order.status}: cannot ${action} it`);

/**
 * Replaces a draft's content as a create of the new body would make it. Null when the body is what the draft
 * says already (a retry changes nothing, not even the version). The fingerprint follows the content, so a
 * create retried afterwards is answered as a retry of the body the order now has and refused for the old one.
 */
export function decideEdit(order: PurchaseOrder, edit: PurchaseOrderEdit): PurchaseOrder | null {
  if (order.status !== 'draft') throw stateConflict(order, 'edit');
  const replaced = newPurchaseOrder({ ...edit, id: order.id }, order.createdAt);
  if (replaced.requestHash === order.requestHash) return null;
  return { ...replaced, version: order.version + 1 };
}

/** Sends a draft to the supplier. Null when it was submitted before (a retry answers the order as it is). */
export function decideSubmit(order: PurchaseOrder, now: string): PurchaseOrder | null {
  if (order.submittedAt !== null) return null;
  if (order.status !== 'draft') throw stateConflict(order, 'submit');
  return { ...order, status: 'ordered', submittedAt: now, version: order.version + 1 };
}

/**
 * Cancels an order nothing of which has arrived. Null when it is cancelled already. Once goods arrived they
 * are stock with a history, so a partly received order ends by a receipt that closes it instead.
 */
export function decideCancel(order: PurchaseOrder, now: string): PurchaseOrder | null {
  if (order.status === 'cancelled') return null;
  if (order.status !== 'draft' && order.status !== 'ordered') throw stateConflict(order, 'cancel');
  return { ...order, status: 'cancelled', closedAt: now, version: order.version + 1 };
}

/** What the supplier still owes on a line: never below zero, however much more arrived. */
export const outstandingOf = (line: Pick<PurchaseOrderLine, 'quantity' | 'received'>): number =>
  Math.max(0, line.quantity - line.received);

/** Each line whose received units differ from the ordered ones, in line order. */
export const discrepanciesOf = (lines: readonly PurchaseOrderLine[]): Discrepancy[] =>
  lines
    .filter((line) => line.received !== line.quantity)
    .map((line) => ({
      sku: line.sku,
      ordered: line.quantity,
      received: line.received,
      difference: line.received - line.quantity,
    }));

/**
 * A receipt adds what arrived to the location's on-hand (`po_received`), whatever was ordered: the goods are
 * physically there, so an over-receipt or an item not on the order is taken in and shows as a discrepancy. The
 * order is received when every line has arrived in full, or when the receipt closes it.
 */
export function decideReceipt(order: PurchaseOrder, receipt: ReceiptCommand): Plan {
  if (!OPEN_STATUSES.includes(order.status)) throw stateConflict(order, 'receive');
  assertDistinct(receipt.lines);
  const reference = `purchase-order/${order.id}/receipt/${receipt.id}`;
  const lines = order.lines.map((line) => ({ ...line }));
  const movements: Movement[] = [];
  for (const arrived of receipt.lines) {
    let line = lines.find((candidate) => candidate.sku === arrived.sku);
    if (!line)
      lines.push((line = { sku: arrived.sku, quantity: 0, unitCost: null, received: 0, invoiced: 0 }));
    line.received += arrived.quantity;
    movements.push({
      id: `${reference}/po_received/${arrived.sku}@${order.locationId}`,
      sku: arrived.sku,
      locationId: order.locationId,
      kind: 'po_received',
      change: changeOf({ onHand: arrived.quantity }),
      occurredAt: receipt.occurredAt,
      reference,
      // The agreed cost values the goods; an item not on the order comes in at the average.
      unitCost: line.unitCost,
    });
  }
  const version = order.version + 1;
  const taken: PurchaseOrderReceipt = {
    receiptId: receipt.id,
    receivedAt: receipt.occurredAt,
    lines: receipt.lines.map(({ sku, quantity }) => ({ sku, quantity })),
  };
  const receipts = [...order.receipts, taken];
  if (!receipt.close && lines.some((line) => outstandingOf(line) > 0))
    return {
      purchaseOrder: { ...order, lines, receipts, status: 'partially_received', version },
      movements,
      receipt: taken,
    };
  return {
    purchaseOrder: {
      ...order,
      lines,
      receipts,
      status: 'received',
      discrepancies: discrepanciesOf(lines),
      closedAt: receipt.occurredAt,
      version,
    },
    movements,
    receipt: taken,
  };
}

/** Units on order per location: what open orders' lines still owe, from lines of orders in OPEN_STATUSES. */
export function onOrderByLocation(
  lines: ReadonlyArray<{ locationId: string; quantity: number; received: number }>,
): Map<string, number> {
  const onOrder = new Map<string, number>();
  for (const line of lines)
    onOrder.set(line.locationId, (onOrder.get(line.locationId) ?? 0) + outstandingOf(line));
  return onOrder;
}
