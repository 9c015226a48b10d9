import {
  asNumber,
  conflict,
  placeholderRows,
  placeholders,
  type Db,
  type SqlValue,
  type Tx,
} from '@tillstream/kernel';
import type { Payable, SupplierPayment } from './supplier-payment.decide.js';

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

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
  payment_id: string;
  document: Payable['document'];
  invoice_id: string;
  purchase_order_id: string | null;
  supplier_invoice_number: string;
  amount: unknown;
  open_after: unknown;
}

/** Payments with their allocations, in the rows' order: one statement for the allocations of all of them. */
async function withAllocations(reader: Reader, rows: readonly PaymentRow[]): Promise<SupplierPayment[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const allocations = await reader.query<AllocationRow>(
    `SELECT a.payment_id, a.document, a.invoice_id, i.purchase_order_id,
       COALESCE(i.supplier_invoice_number, b.supplier_invoice_number) AS supplier_invoice_number,
       a.amount, a.open_after
     FROM supplier_payment_allocations a
     LEFT JOIN purchase_order_invoices i ON a.document = 'invoice' AND i.id = a.invoice_id
     LEFT JOIN supplier_bills b ON a.document = 'bill' AND b.id = a.invoice_id
     WHERE a.payment_id IN (${placeholders(ids.length)}) ORDER BY a.payment_id, a.line_no`,
    ids,
  );
  return rows.map((row) => {
    const own = allocations.filter((allocation) => allocation.payment_id === row.id);
    const common = (allocation: AllocationRow) => ({
      supplierInvoiceNumber: allocation.supplier_invoice_number,
      amount: asNumber(allocation.amount),
      open: asNumber(allocation.open_after),
    });
    return {
      paymentId: row.id,
      supplierId: row.supplier_id,
      currency: row.currency,
      amount: asNumber(row.amount),
      paidAt: row.paid_at,
      reference: row.reference,
      allocations: own
        .filter((allocation) => allocation.document === 'invoice')
        .map((allocation) => ({
          invoiceId: allocation.invoice_id,
          purchaseOrderId: allocation.purchase_order_id!,
          ...common(allocation),
        })),
      bills: own
        .filter((allocation) => allocation.document === 'bill')
        .map((allocation) => ({ billId: allocation.invoice_id, ...common(allocation) })),
    };
  });
}

/** Accounts payable's payments to suppliers and their allocations to invoices and bills. */
export function createPayablesStore() {
  return {
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
      // Invoices then bills, each kind in the order paid: the order the view lists them in.
      const rows = [
        ...payment.allocations.map((row) => ['invoice', row.invoiceId, row.amount, row.open] as const),
        ...payment.bills.map((row) => ['bill', row.billId, row.amount, row.open] as const),
      ];
      await tx.execute(
        `INSERT INTO supplier_payment_allocations (payment_id, line_no, document, invoice_id, amount, open_after)
         VALUES ${placeholderRows(rows.length, 6)}`,
        rows.flatMap((row, index) => [payment.paymentId, index + 1, ...row]),
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
