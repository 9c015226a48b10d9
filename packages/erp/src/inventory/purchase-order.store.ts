import { placeholderRows, placeholders, rowLock, type Db, type SqlValue, type Tx } from '@tillstream/kernel';
import {
  discrepanciesOf,
  OPEN_STATUSES,
  type PurchaseOrder,
  type PurchaseOrderInvoice,
  type PurchaseOrderLine,
  type PurchaseOrderReceipt,
  type PurchaseOrderStatus,
} from './purchase-order.decide.js';
import type { InvoicedLine } from './purchase-order-invoice.decide.js';

interface OrderRow {
  id: string;
  supplier_id: string;
  supplier_name: string | null;
  location_id: string;
  currency: string;
  expected_at: string | null;
  status: PurchaseOrderStatus;
  total: number | string;
  request_hash: string;
  version: number | string;
  created_at: string;
  submitted_at: string | null;
  closed_at: string | null;
}

interface LineRow {
  purchase_order_id: string;
  sku: string;
  line_no: number | string;
  quantity: number | string;
  unit_cost: number | string | null;
  received: number | string;
  invoiced: number | string;
}

interface ReceiptLineRow {
  purchase_order_id: string;
  receipt_id: string;
  occurred_at: string;
  sku: string;
  quantity: number | string;
}

interface InvoiceRow {
  purchase_order_id: string;
  id: string;
  supplier_invoice_number: string;
  invoiced_at: string;
  due_at: string | null;
  total: number | string;
  matched: number | string;
}

type Reader = Pick<Tx, 'query' | 'dialect'> | Db;

export interface PurchaseOrderFilter {
  /** Keyset: only orders with a greater id. */
  after: string;
  limit: number;
  status?: PurchaseOrderStatus;
  locationId?: string;
  sku?: string;
  /** Open orders expected before this instant (overdue, when it is now). */
  expectedBefore?: string;
  /** Orders with (true) or without (false) goods received at an agreed cost and not invoiced yet. */
  awaitingInvoice?: boolean;
}

const toLine = (row: LineRow): PurchaseOrderLine => ({
  sku: row.sku,
  quantity: Number(row.quantity),
  unitCost: row.unit_cost === null ? null : Number(row.unit_cost),
  received: Number(row.received),
  invoiced: Number(row.invoiced),
});

const toInvoice = (row: InvoiceRow): PurchaseOrderInvoice => ({
  invoiceId: row.id,
  supplierInvoiceNumber: row.supplier_invoice_number,
  invoicedAt: row.invoiced_at,
  dueAt: row.due_at ?? row.invoiced_at,
  total: Number(row.total),
  matched: Number(row.matched),
});

/** Folds one order's receipt lines, in receipt then line order, into its receipts. */
function toReceipts(rows: readonly ReceiptLineRow[]): PurchaseOrderReceipt[] {
  const receipts: PurchaseOrderReceipt[] = [];
  for (const row of rows) {
    let receipt = receipts.at(-1);
    if (receipt?.receiptId !== row.receipt_id)
      receipts.push((receipt = { receiptId: row.receipt_id, receivedAt: row.occurred_at, lines: [] }));
    receipt.lines.push({ sku: row.sku, quantity: Number(row.quantity) });
  }
  return receipts;
}

const toOrder = (
  row: OrderRow,
  lines: PurchaseOrderLine[],
  receipts: PurchaseOrderReceipt[],
  invoices: PurchaseOrderInvoice[],
): PurchaseOrder => ({
  id: row.id,
  supplier: row.supplier_name ? { id: row.supplier_id, name: row.supplier_name } : { id: row.supplier_id },
  locationId: row.location_id,
  currency: row.currency,
  expectedAt: row.expected_at,
  status: row.status,
  lines,
  total: Number(row.total),
  // Discrepancies are what a closed order's lines say; kept nowhere else, so they cannot disagree.
  discrepancies: row.status === 'received' ? discrepanciesOf(lines) : [],
  receipts,
  invoices,
  version: Number(row.version),
  requestHash: row.request_hash,
  createdAt: row.created_at,
  submittedAt: row.submitted_at,
  closedAt: row.closed_at,
});

/**
 * Writes the lines as they are now: new ones (an item not on the order) are added, received and invoiced counts
 * updated.
 */
async function upsertLines(tx: Tx, order: PurchaseOrder): Promise<void> {
  if (order.lines.length === 0) return;
  // One statement for all lines: an order's SKUs are distinct, so no two rows meet the same conflict.
  await tx.execute(
    `INSERT INTO purchase_order_lines (purchase_order_id, sku, line_no, quantity, unit_cost, received, invoiced)
     VALUES ${placeholderRows(order.lines.length, 7)}
     ON CONFLICT (purchase_order_id, sku) DO UPDATE SET received = excluded.received, invoiced = excluded.invoiced`,
    order.lines.flatMap((line, index) => [
      order.id,
      line.sku,
      index + 1,
      line.quantity,
      line.unitCost,
      line.received,
      line.invoiced,
    ]),
  );
}

/** Purchase orders, their lines and receipts; camelCase ⇄ snake_case happens here only. */
export function createPurchaseOrderStore() {
  /**
   * Completes orders with their lines, receipts and invoices: three queries for any number of orders, so a page
   * costs four in all. A receipt or invoice claimed in this transaction but not recorded yet is not listed: the
   * receipt has no lines, the invoice no number.
   */
  async function withDetails(reader: Reader, rows: OrderRow[]): Promise<PurchaseOrder[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const lines = await reader.query<LineRow>(
      `SELECT * FROM purchase_order_lines WHERE purchase_order_id IN (${placeholders(rows.length)})
       ORDER BY purchase_order_id, line_no`,
      ids,
    );
    const receiptLines = await reader.query<ReceiptLineRow>(
      `SELECT r.purchase_order_id, r.id AS receipt_id, r.occurred_at, l.sku, l.quantity
       FROM purchase_order_receipts r JOIN purchase_order_receipt_lines l ON l.receipt_id = r.id
       WHERE r.purchase_order_id IN (${placeholders(rows.length)})
       ORDER BY r.purchase_order_id, r.receipt_no, r.id, l.line_no`,
      ids,
    );
    const invoices = await reader.query<InvoiceRow>(
      `SELECT purchase_order_id, id, supplier_invoice_number, invoiced_at, due_at, total, matched
       FROM purchase_order_invoices
       WHERE purchase_order_id IN (${placeholders(rows.length)}) AND invoice_no IS NOT NULL
       ORDER BY purchase_order_id, invoice_no`,
      ids,
    );
    return rows.map((row) =>
      toOrder(
        row,
        lines.filter((line) => line.purchase_order_id === row.id).map(toLine),
        toReceipts(receiptLines.filter((line) => line.purchase_order_id === row.id)),
        invoices.filter((invoice) => invoice.purchase_order_id === row.id).map(toInvoice),
      ),
    );
  }

  return {
    /** False when the id is taken (the caller compares fingerprints). */
    async insert(tx: Tx, order: PurchaseOrder): Promise<boolean> {
      const inserted = await tx.execute(
        `INSERT INTO purchase_orders (id, supplier_id, supplier_name, location_id, currency, expected_at, status,
           total, request_hash, version, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT DO NOTHING`,
        [
          order.id,
          order.supplier.id,
          order.supplier.name ?? null,
          order.locationId,
          order.currency,
          order.expectedAt,
          order.status,
          order.total,
          order.requestHash,
          order.version,
          order.createdAt,
        ],
      );
      if (inserted !== 1) return false;
      await upsertLines(tx, order);
      return true;
    },
    /**
     * With `forUpdate`, locks the order's row on PostgreSQL (SQLite's single writer needs none): receipts and
     * cancels of one order from several ERP instances then take turns. Take its balance locks first.
     */
    async find(reader: Reader, id: string, forUpdate = false): Promise<PurchaseOrder | null> {
      const rows = await reader.query<OrderRow>(
        `SELECT * FROM purchase_orders WHERE id = $1${rowLock(reader, forUpdate)}`,
        [id],
      );
      return (await withDetails(reader, rows))[0] ?? null;
    },
    async save(tx: Tx, order: PurchaseOrder): Promise<void> {
      await tx.execute(
        `UPDATE purchase_orders SET status = $1, version = $2, submitted_at = $3, closed_at = $4 WHERE id = $5`,
        [order.status, order.version, order.submittedAt, order.closedAt, order.id],
      );
      await upsertLines(tx, order);
    },
    /**
     * Replaces a draft's content and lines (a draft has received nothing, so no line carries a count to keep).
     */
    async replace(tx: Tx, order: PurchaseOrder): Promise<void> {
      await tx.execute(
        `UPDATE purchase_orders SET supplier_id = $1, supplier_name = $2, location_id = $3, currency = $4,
           expected_at = $5, total = $6, request_hash = $7, version = $8 WHERE id = $9`,
        [
          order.supplier.id,
          order.supplier.name ?? null,
          order.locationId,
          order.currency,
          order.expectedAt,
          order.total,
          order.requestHash,
          order.version,
          order.id,
        ],
      );
      await tx.execute('DELETE FROM purchase_order_lines WHERE purchase_order_id = $1', [order.id]);
      await upsertLines(tx, order);
    },
    /**
     * Records what a receipt claimed in this transaction (receipt.store.ts) took in, as the `receiptNo`th
     * receipt of the order.
     */
    async addReceipt(
      tx: Tx,
      orderId: string,
      receipt: PurchaseOrderReceipt,
      receiptNo: number,
    ): Promise<void> {
      await tx.execute(
        'UPDATE purchase_order_receipts SET occurred_at = $1, receipt_no = $2 WHERE id = $3 AND purchase_order_id = $4',
        [receipt.receivedAt, receiptNo, receipt.receiptId, orderId],
      );
      if (receipt.lines.length > 0)
        await tx.execute(
          `INSERT INTO purchase_order_receipt_lines (receipt_id, line_no, sku, quantity)
           VALUES ${placeholderRows(receipt.lines.length, 4)}`,
          receipt.lines.flatMap((line, index) => [receipt.receiptId, index + 1, line.sku, line.quantity]),
        );
    },
    /**
     * Records what an invoice claimed in this transaction (receipt.store.ts) bills, as the `invoiceNo`th invoice
     * of the order.
     */
    async addInvoice(
      tx: Tx,
      orderId: string,
      invoice: PurchaseOrderInvoice,
      lines: readonly InvoicedLine[],
      invoiceNo: number,
    ): Promise<void> {
      await tx.execute(
        `UPDATE purchase_order_invoices SET supplier_invoice_number = $1, invoiced_at = $2, total = $3, matched = $4,
           invoice_no = $5, due_at = $6 WHERE id = $7 AND purchase_order_id = $8`,
        [
          invoice.supplierInvoiceNumber,
          invoice.invoicedAt,
          invoice.total,
          invoice.matched,
          invoiceNo,
          invoice.dueAt,
          invoice.invoiceId,
          orderId,
        ],
      );
      if (lines.length > 0)
        await tx.execute(
          `INSERT INTO purchase_order_invoice_lines (invoice_id, line_no, sku, quantity, unit_cost, ordered_unit_cost)
           VALUES ${placeholderRows(lines.length, 6)}`,
          lines.flatMap((line, index) => [
            invoice.invoiceId,
            index + 1,
            line.sku,
            line.quantity,
            line.unitCost,
            line.orderedUnitCost,
          ]),
        );
    },
    /** One page in id order; reads `limit + 1` rows so the caller knows whether there is a next page. */
    async page(reader: Reader, filter: PurchaseOrderFilter): Promise<PurchaseOrder[]> {
      const conditions = ['id > $1'];
      const values: SqlValue[] = [filter.after];
      const where = (condition: (at: string) => string, value: SqlValue) => {
        values.push(value);
        conditions.push(condition(`$${values.length}`));
      };
      if (filter.status) where((at) => `status = ${at}`, filter.status);
      if (filter.locationId) where((at) => `location_id = ${at}`, filter.locationId);
      if (filter.sku)
        where(
          (at) =>
            `EXISTS (SELECT 1 FROM purchase_order_lines l WHERE l.purchase_order_id = purchase_orders.id AND l.sku = ${at})`,
          filter.sku,
        );
      if (filter.awaitingInvoice !== undefined)
        conditions.push(
          `${filter.awaitingInvoice ? '' : 'NOT '}EXISTS (SELECT 1 FROM purchase_order_lines l
             WHERE l.purchase_order_id = purchase_orders.id AND l.unit_cost IS NOT NULL AND l.received > l.invoiced)`,
        );
      if (filter.expectedBefore) {
        // Stored in UTC, so instants compare as text whatever offset the query was written with.
        where((at) => `expected_at < ${at}`, new Date(filter.expectedBefore).toISOString());
        conditions.push(`status IN (${OPEN_STATUSES.map((status) => `'${status}'`).join(', ')})`);
      }
      values.push(filter.limit + 1);
      const rows = await reader.query<OrderRow>(
        `SELECT * FROM purchase_orders WHERE ${conditions.join(' AND ')} ORDER BY id LIMIT $${values.length}`,
        values,
      );
      return withDetails(reader, rows);
    },
    /** Lines of a SKU on open orders, with the location each is for: what `onOrderByLocation` sums. */
    async openLines(reader: Reader, sku: string) {
      const rows = await reader.query<{
        location_id: string;
        quantity: number | string;
        received: number | string;
      }>(
        `SELECT o.location_id, l.quantity, l.received FROM purchase_order_lines l
         JOIN purchase_orders o ON o.id = l.purchase_order_id
         WHERE l.sku = $1 AND o.status IN (${placeholders(OPEN_STATUSES.length, 2)})`,
        [sku, ...OPEN_STATUSES],
      );
      return rows.map((row) => ({
        locationId: row.location_id,
        quantity: Number(row.quantity),
        received: Number(row.received),
      }));
    },
  };
}

export type PurchaseOrderStore = ReturnType<typeof createPurchaseOrderStore>;
