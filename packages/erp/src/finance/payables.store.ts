import {
  asNumber,
  conflict,
  placeholderRows,
  placeholders,
  rowLock,
  type Db,
  type SqlValue,
  type Tx,
} from '@tillstream/kernel';
import type { SupplierBill, SupplierPayment } from './supplier-payment.decide.js';

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

interface BillRow {
  invoice_id: string;
  purchase_order_id: string;
  supplier_id: string;
  supplier_name: string | null;
  supplier_invoice_number: string;
  currency: string;
  total: unknown;
  paid: unknown;
  invoiced_at: string;
  due_at: string;
}

const toBill = (row: BillRow): SupplierBill => ({
  invoiceId: row.invoice_id,
  purchaseOrderId: row.purchase_order_id,
  supplierId: row.supplier_id,
  supplierName: row.supplier_name,
  supplierInvoiceNumber: row.supplier_invoice_number,
  currency: row.currency,
  total: asNumber(row.total),
  paid: asNumber(row.paid),
  invoicedAt: row.invoiced_at,
  dueAt: row.due_at,
});

/**
 * Supplier invoices are purchasing's rows (matched to their orders there, read here as ERP's own); what each has
 * paid is the sum of its allocations, counted up to `paidBefore` when a report looks back.
 */
function billsQuery(conditions: string[], params: SqlValue[], paidBefore?: string): string {
  const paidCutoff = paidBefore === undefined ? '' : `AND s.paid_at < $${params.push(paidBefore)}`;
  return `SELECT i.id AS invoice_id, i.purchase_order_id, o.supplier_id, o.supplier_name,
      i.supplier_invoice_number, o.currency, i.total, COALESCE(p.paid, 0) AS paid, i.invoiced_at,
      COALESCE(i.due_at, i.invoiced_at) AS due_at
    FROM purchase_order_invoices i
    JOIN purchase_orders o ON o.id = i.purchase_order_id
    LEFT JOIN (
      SELECT a.invoice_id, SUM(a.amount) AS paid
      FROM supplier_payment_allocations a JOIN supplier_payments s ON s.id = a.payment_id
      WHERE s.paid_at IS NOT NULL ${paidCutoff}
      GROUP BY a.invoice_id
    ) p ON p.invoice_id = i.id
    WHERE i.invoice_no IS NOT NULL ${conditions.map((condition) => `AND ${condition}`).join(' ')}
    ORDER BY o.supplier_id, o.currency, due_at, i.id`;
}

interface PaymentRow {
  id: string;
  request_hash: string;
  supplier_id: string;
  currency: string;
  amount: unknown;
  paid_at: string;
  reference: string | null;
}

interface AllocationRow {
  invoice_id: string;
  purchase_order_id: string;
  supplier_invoice_number: string;
  amount: unknown;
  open_after: unknown;
}

/** Payments with their allocations, in the rows' order: one statement for the allocations of all of them. */
async function withAllocations(reader: Reader, rows: readonly PaymentRow[]): Promise<SupplierPayment[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const allocations = await reader.query<AllocationRow & { payment_id: string }>(
    `SELECT a.payment_id, a.invoice_id, i.purchase_order_id, i.supplier_invoice_number, a.amount, a.open_after
     FROM supplier_payment_allocations a JOIN purchase_order_invoices i ON i.id = a.invoice_id
     WHERE a.payment_id IN (${placeholders(ids.length)}) ORDER BY a.payment_id, a.line_no`,
    ids,
  );
  return rows.map((row) => ({
    paymentId: row.id,
    supplierId: row.supplier_id,
    currency: row.currency,
    amount: asNumber(row.amount),
    paidAt: row.paid_at,
    reference: row.reference,
    allocations: allocations
      .filter((allocation) => allocation.payment_id === row.id)
      .map((allocation) => ({
        invoiceId: allocation.invoice_id,
        purchaseOrderId: allocation.purchase_order_id,
        supplierInvoiceNumber: allocation.supplier_invoice_number,
        amount: asNumber(allocation.amount),
        open: asNumber(allocation.open_after),
      })),
  }));
}

/** Accounts payable's rows: payments to suppliers, their allocations, and the invoices they pay. */
export function createPayablesStore() {
  return {
    /**
     * The invoices a payment names, or without names every invoice of the supplier in the currency that still
     * has something open, their rows locked (in id order) before what they paid is read: two payments of one
     * invoice take turns, and the second sees the first's allocation.
     */
    async lockBills(
      tx: Tx,
      target: { invoiceIds: readonly string[] } | { supplierId: string; currency: string },
    ): Promise<SupplierBill[]> {
      const lock = tx.dialect === 'postgres' ? `${rowLock(tx)} OF i` : '';
      const locked =
        'invoiceIds' in target
          ? await tx.query<{ id: string }>(
              `SELECT i.id FROM purchase_order_invoices i
               WHERE i.id IN (${placeholders(target.invoiceIds.length)}) AND i.invoice_no IS NOT NULL
               ORDER BY i.id${lock}`,
              target.invoiceIds,
            )
          : await tx.query<{ id: string }>(
              `SELECT i.id FROM purchase_order_invoices i JOIN purchase_orders o ON o.id = i.purchase_order_id
               WHERE o.supplier_id = $1 AND o.currency = $2 AND i.invoice_no IS NOT NULL
                 AND i.total > COALESCE(
                   (SELECT SUM(a.amount) FROM supplier_payment_allocations a WHERE a.invoice_id = i.id), 0)
               ORDER BY i.id${lock}`,
              [target.supplierId, target.currency],
            );
      if (locked.length === 0) return [];
      const ids = locked.map((row) => row.id);
      const rows = await tx.query<BillRow>(billsQuery([`i.id IN (${placeholders(ids.length)})`], ids), ids);
      return rows.map(toBill);
    },
    /**
     * Open invoices (something left to pay), optionally of one supplier or currency. With `asOf`, as they
     * stood then: invoices dated and payments made before it.
     */
    async openBills(
      reader: Reader,
      filter: { supplierId?: string; currency?: string; asOf?: string },
    ): Promise<SupplierBill[]> {
      const conditions: string[] = [];
      const params: SqlValue[] = [];
      const add = (condition: string, value: SqlValue) =>
        conditions.push(condition.replace('?', `$${params.push(value)}`));
      if (filter.supplierId !== undefined) add('o.supplier_id = ?', filter.supplierId);
      if (filter.currency !== undefined) add('o.currency = ?', filter.currency);
      if (filter.asOf !== undefined) add('i.invoiced_at < ?', filter.asOf);
      conditions.push('i.total > COALESCE(p.paid, 0)');
      const rows = await reader.query<BillRow>(billsQuery(conditions, params, filter.asOf), params);
      return rows.map(toBill);
    },
    /**
     * Claims a payment's client-made id before anything is written. Claimed before by the same request:
     * false, and the caller answers with the payment as it was recorded; by another, 409 `id_conflict`.
     */
    async claim(tx: Tx, claim: { id: string; hash: string; at: string }): Promise<boolean> {
      const inserted = await tx.execute(
        `INSERT INTO supplier_payments (id, request_hash, recorded_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [claim.id, claim.hash, claim.at],
      );
      if (inserted === 1) return true;
      const [row] = await tx.query<{ request_hash: string }>(
        'SELECT request_hash FROM supplier_payments WHERE id = $1',
        [claim.id],
      );
      if (row!.request_hash !== claim.hash)
        throw conflict('id_conflict', `Supplier payment ${claim.id} exists with other content`);
      return false;
    },
    /** Fills in the payment claimed in this transaction, with its allocations in order. */
    async record(tx: Tx, payment: SupplierPayment): Promise<void> {
      await tx.execute(
        `UPDATE supplier_payments SET supplier_id = $1, currency = $2, amount = $3, paid_at = $4, reference = $5
         WHERE id = $6`,
        [
          payment.supplierId,
          payment.currency,
          payment.amount,
          payment.paidAt,
          payment.reference,
          payment.paymentId,
        ],
      );
      await tx.execute(
        `INSERT INTO supplier_payment_allocations (payment_id, line_no, invoice_id, amount, open_after)
         VALUES ${placeholderRows(payment.allocations.length, 5)}`,
        payment.allocations.flatMap((allocation, index) => [
          payment.paymentId,
          index + 1,
          allocation.invoiceId,
          allocation.amount,
          allocation.open,
        ]),
      );
    },
    async find(reader: Reader, paymentId: string): Promise<SupplierPayment | null> {
      const rows = await reader.query<PaymentRow>(
        'SELECT * FROM supplier_payments WHERE id = $1 AND paid_at IS NOT NULL',
        [paymentId],
      );
      return (await withAllocations(reader, rows))[0] ?? null;
    },
    /**
     * Payments in the order they were made (by `paidAt`, then id), optionally of one supplier and between two
     * instants, after the payment `after` names. Null when `after` names no payment.
     */
    async list(
      reader: Reader,
      query: { supplierId?: string; from?: string; to?: string; after?: string; limit: number },
    ): Promise<SupplierPayment[] | null> {
      const conditions = ['paid_at IS NOT NULL'];
      const params: SqlValue[] = [];
      const add = (condition: string, value: SqlValue) =>
        conditions.push(condition.replace('?', `$${params.push(value)}`));
      if (query.after !== undefined) {
        const [cursor] = await reader.query<{ paid_at: string | null }>(
          'SELECT paid_at FROM supplier_payments WHERE id = $1',
          [query.after],
        );
        if (!cursor?.paid_at) return null;
        conditions.push(`(paid_at, id) > ($${params.push(cursor.paid_at)}, $${params.push(query.after)})`);
      }
      if (query.supplierId !== undefined) add('supplier_id = ?', query.supplierId);
      if (query.from !== undefined) add('paid_at >= ?', query.from);
      if (query.to !== undefined) add('paid_at < ?', query.to);
      const rows = await reader.query<PaymentRow>(
        `SELECT * FROM supplier_payments WHERE ${conditions.join(' AND ')}
         ORDER BY paid_at, id LIMIT $${params.push(query.limit)}`,
        params,
      );
      return withAllocations(reader, rows);
    },
  };
}

export type PayablesStore = ReturnType<typeof createPayablesStore>;
