import { fingerprintOf, invalid, unprocessable } from '@tillstream/kernel';
import {
  assertDistinct,
  MAX_ORDER_VALUE,
  stateConflict,
  type PurchaseOrder,
  type PurchaseOrderInvoice,
  type PurchaseOrderStatus,
} from './purchase-order.decide.js';
import { invoiceNumberTaken, sameInvoiceNumber } from './supplier-invoice-number.decide.js';

/** A supplier's invoice for goods of a purchase order, as it is matched to the order. */
export interface InvoiceCommand {
  id: string;
  supplierInvoiceNumber: string;
  invoicedAt: string;
  /** When the supplier is to be paid, UTC (see `invoiceDueAt`). */
  dueAt: string;
  lines: Array<{ sku: string; quantity: number; unitCost: number }>;
}

/** An invoice as the API takes it: its date and due date may be left out. */
export type InvoiceRequest = Omit<InvoiceCommand, 'invoicedAt' | 'dueAt'> & {
  invoicedAt?: string;
  dueAt?: string;
};

const DAY_MS = 86_400_000;

/**
 * When an invoice is to be paid: the due date printed on it, else its date plus the payment terms ERP assumes
 * for suppliers (net `termsDays`). A due date before the invoice's own date is a typing error, 422.
 */
export function invoiceDueAt(dueAt: string | undefined, invoicedAt: string, termsDays: number): string {
  if (dueAt === undefined) return new Date(new Date(invoicedAt).getTime() + termsDays * DAY_MS).toISOString();
  const due = new Date(dueAt);
  if (due.getTime() < new Date(invoicedAt).getTime())
    throw unprocessable('invoice_due_before_date', `Invoice dated ${invoicedAt} cannot be due ${dueAt}`);
  return due.toISOString();
}

/** Statuses an invoice can be matched in: once it was sent to the supplier, until it is cancelled. */
const INVOICEABLE_STATUSES: readonly PurchaseOrderStatus[] = ['ordered', 'partially_received', 'received'];

/**
 * What tells a faithful retry of an invoice from another invoice under the same id: all it says, as sent. A due
 * date is added only when given, so invoices taken before due dates were kept still replay.
 */
export const invoiceFingerprint = (invoice: InvoiceRequest) =>
  fingerprintOf([
    invoice.supplierInvoiceNumber,
    invoice.invoicedAt ?? null,
    invoice.lines.map((line) => [line.sku, line.quantity, line.unitCost]),
    ...(invoice.dueAt !== undefined ? [invoice.dueAt] : []),
  ]);

/**
 * One paper invoice is billed once on an order: the same supplier number entered again (by another clerk, under
 * another id) would still pass the three-way match while units remain unbilled, and the supplier would be paid
 * twice. Across orders and bills the supplier's numbers are claimed in the transaction that records the invoice
 * (supplier-invoice-number.store.ts); this answers the order's own duplicates before anything is written.
 */
function assertNewInvoiceNumber(order: PurchaseOrder, invoice: InvoiceCommand): void {
  const number = sameInvoiceNumber(invoice.supplierInvoiceNumber);
  const earlier = order.invoices.find((taken) => sameInvoiceNumber(taken.supplierInvoiceNumber) === number);
  if (earlier)
    throw invoiceNumberTaken(order.supplier.id, invoice.supplierInvoiceNumber, {
      document: 'invoice',
      invoiceId: earlier.invoiceId,
      purchaseOrderId: order.id,
    });
}

/** An invoiced line next to what the order agreed for it: the price variance is their difference. */
export interface InvoicedLine {
  sku: string;
  quantity: number;
  unitCost: number;
  orderedUnitCost: number;
}

/**
 * Three-way match of a supplier's invoice: it bills only lines the order agreed a cost for, and of each never
 * more units, over all its invoices, than have arrived (a supplier is paid for what came). Items that arrived
 * unordered have no agreed cost to match against, so they cannot be invoiced here. The status and the stock
 * stay as they are; the order is one version more.
 */
export function decideInvoice(
  order: PurchaseOrder,
  invoice: InvoiceCommand,
): { purchaseOrder: PurchaseOrder; invoice: PurchaseOrderInvoice; lines: InvoicedLine[] } {
  if (!INVOICEABLE_STATUSES.includes(order.status)) throw stateConflict(order, 'invoice');
  assertDistinct(invoice.lines);
  assertNewInvoiceNumber(order, invoice);
  const ordered = new Map(
    order.lines.filter((line) => line.unitCost !== null).map((line) => [line.sku, line]),
  );
  const notOrdered = invoice.lines.filter((line) => !ordered.has(line.sku)).map((line) => line.sku);
  if (notOrdered.length > 0)
    throw unprocessable(
      'invoice_line_not_ordered',
      `${notOrdered.join(', ')} have no agreed cost on the order`,
      {
        skus: notOrdered,
      },
    );
  const exceeding = invoice.lines
    .filter((line) => {
      const { invoiced, received } = ordered.get(line.sku)!;
      return invoiced + line.quantity > received;
    })
    .map((line) => line.sku);
  if (exceeding.length > 0)
    throw unprocessable(
      'invoice_exceeds_receipts',
      `${exceeding.join(', ')} are billed beyond what arrived`,
      {
        skus: exceeding,
      },
    );
  const lines = invoice.lines.map((line) => ({
    sku: line.sku,
    quantity: line.quantity,
    unitCost: line.unitCost,
    orderedUnitCost: ordered.get(line.sku)!.unitCost!,
  }));
  const total = lines.reduce((sum, line) => sum + line.quantity * line.unitCost, 0);
  const matched = lines.reduce((sum, line) => sum + line.quantity * line.orderedUnitCost, 0);
  if (Math.max(total, matched) > MAX_ORDER_VALUE)
    throw invalid('invoice_value_too_large', `Invoice ${invoice.id} is worth ${Math.max(total, matched)}`);
  const billed = new Map(lines.map((line) => [line.sku, line.quantity]));
  const taken: PurchaseOrderInvoice = {
    invoiceId: invoice.id,
    supplierInvoiceNumber: invoice.supplierInvoiceNumber,
    invoicedAt: invoice.invoicedAt,
    dueAt: invoice.dueAt,
    total,
    matched,
  };
  return {
    purchaseOrder: {
      ...order,
      lines: order.lines.map((line) => ({ ...line, invoiced: line.invoiced + (billed.get(line.sku) ?? 0) })),
      invoices: [...order.invoices, taken],
      version: order.version + 1,
    },
    invoice: taken,
    lines,
  };
}

/**
 * What the order's goods came into stock at and the supplier has not billed yet: per line with an agreed cost,
 * the units received and not invoiced at that cost. Over all orders, what ERP's 2300 (goods received not
 * invoiced) holds.
 */
export function awaitingInvoiceOf(order: Pick<PurchaseOrder, 'lines'>): number {
  return order.lines.reduce(
    (sum, line) => sum + (line.unitCost === null ? 0 : (line.received - line.invoiced) * line.unitCost),
    0,
  );
}
