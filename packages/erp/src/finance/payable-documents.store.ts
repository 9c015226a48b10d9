import { asNumber, placeholders, rowLock, type Db, type SqlValue, type Tx } from '@tillstream/kernel';
import type { Payable } from './supplier-payment.decide.js';

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

interface PayableRow {
  document: 'invoice' | 'bill';
  id: string;
  purchase_order_id: string | null;
  supplier_id: string;
  supplier_name: string | null;
  supplier_invoice_number: string;
  currency: string;
  total: unknown;
  paid: unknown;
  invoiced_at: string;
  due_at: string;
}

const toPayable = (row: PayableRow): Payable => ({
  document: row.document,
  id: row.id,
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
 * Both kinds of payable as one: invoices matched to purchase orders (purchasing's rows, read here as ERP's own)
 * and the bills of goods received outside them. What each has paid is the sum of its allocations, counted up to
 * `paidBefore` when a report looks back. Conditions name the columns of `d`.
 */
function payablesQuery(conditions: string[], params: SqlValue[], paidBefore?: string): string {
  const paidCutoff = paidBefore === undefined ? '' : `AND s.paid_at < $${params.push(paidBefore)}`;
  return `SELECT d.*, COALESCE(p.paid, 0) AS paid
    FROM (
      SELECT 'invoice' AS document, i.id, i.purchase_order_id, o.supplier_id, o.supplier_name,
        i.supplier_invoice_number, o.currency, i.total, i.invoiced_at, COALESCE(i.due_at, i.invoiced_at) AS due_at
      FROM purchase_order_invoices i JOIN purchase_orders o ON o.id = i.purchase_order_id
      WHERE i.invoice_no IS NOT NULL
      UNION ALL
      SELECT 'bill', b.id, CAST(NULL AS TEXT), b.supplier_id, b.supplier_name, b.supplier_invoice_number,
        b.currency, b.total, b.invoiced_at, b.due_at
      FROM supplier_bills b WHERE b.total IS NOT NULL
    ) d
    LEFT JOIN (
      SELECT a.document, a.invoice_id, SUM(a.amount) AS paid
      FROM supplier_payment_allocations a JOIN supplier_payments s ON s.id = a.payment_id
      WHERE s.paid_at IS NOT NULL ${paidCutoff}
      GROUP BY a.document, a.invoice_id
    ) p ON p.document = d.document AND p.invoice_id = d.id
    ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
    ORDER BY d.supplier_id, d.currency, d.due_at, d.document, d.id`;
}

/** Of one kind, `document` in `column` of table `alias`: what a payment has allocated to it so far. */
const paidSoFar = (document: Payable['document'], alias: string) =>
  `COALESCE((SELECT SUM(a.amount) FROM supplier_payment_allocations a
     WHERE a.document = '${document}' AND a.invoice_id = ${alias}.id), 0)`;

/** The invoices and bills accounts payable owes suppliers for, as payments and reports read them. */
export function createPayableDocuments() {
  return {
    /**
     * The invoices and bills a payment names, or without names every one of the supplier in the currency that
     * still has something open, their rows locked (invoices, then bills, each in id order: every payment
     * takes them in that order) before what they paid is read: two payments of one document take turns, and
     * the second sees the first's allocation.
     */
    async lock(
      tx: Tx,
      target:
        { named: ReadonlyArray<Pick<Payable, 'document' | 'id'>> } | { supplierId: string; currency: string },
    ): Promise<Payable[]> {
      const lock = rowLock(tx);
      const ids = async (document: Payable['document'], sql: string, params: SqlValue[]) =>
        (await tx.query<{ id: string }>(sql, params)).map((row) => ({ document, id: row.id }));
      let locked: Array<Pick<Payable, 'document' | 'id'>>;
      if ('named' in target) {
        const of = (document: Payable['document']) =>
          target.named.filter((row) => row.document === document).map((row) => row.id);
        const [invoiceIds, billIds] = [of('invoice'), of('bill')];
        locked = [
          ...(invoiceIds.length
            ? await ids(
                'invoice',
                `SELECT i.id FROM purchase_order_invoices i
                  WHERE i.id IN (${placeholders(invoiceIds.length)}) AND i.invoice_no IS NOT NULL ORDER BY i.id${lock}`,
                invoiceIds,
              )
            : []),
          ...(billIds.length
            ? await ids(
                'bill',
                `SELECT b.id FROM supplier_bills b
                  WHERE b.id IN (${placeholders(billIds.length)}) AND b.total IS NOT NULL ORDER BY b.id${lock}`,
                billIds,
              )
            : []),
        ];
      } else {
        const params = [target.supplierId, target.currency];
        locked = [
          ...(await ids(
            'invoice',
            `SELECT i.id FROM purchase_order_invoices i JOIN purchase_orders o ON o.id = i.purchase_order_id
              WHERE o.supplier_id = $1 AND o.currency = $2 AND i.invoice_no IS NOT NULL
                AND i.total > ${paidSoFar('invoice', 'i')}
              ORDER BY i.id${lock ? `${lock} OF i` : ''}`,
            params,
          )),
          ...(await ids(
            'bill',
            `SELECT b.id FROM supplier_bills b
              WHERE b.supplier_id = $1 AND b.currency = $2 AND b.total > ${paidSoFar('bill', 'b')}
              ORDER BY b.id${lock}`,
            params,
          )),
        ];
      }
      if (locked.length === 0) return [];
      const params: SqlValue[] = [];
      const keys = locked.map(
        (row) => `(d.document = $${params.push(row.document)} AND d.id = $${params.push(row.id)})`,
      );
      const rows = await tx.query<PayableRow>(payablesQuery([`(${keys.join(' OR ')})`], params), params);
      return rows.map(toPayable);
    },
    /**
     * Open invoices and bills (something left to pay), optionally of one supplier or currency. With `asOf`, as
     * they stood then: documents dated and payments made before it.
     */
    async open(
      reader: Reader,
      filter: { supplierId?: string; currency?: string; asOf?: string },
    ): Promise<Payable[]> {
      const conditions: string[] = [];
      const params: SqlValue[] = [];
      const add = (condition: string, value: SqlValue) =>
        conditions.push(condition.replace('?', `$${params.push(value)}`));
      if (filter.supplierId !== undefined) add('d.supplier_id = ?', filter.supplierId);
      if (filter.currency !== undefined) add('d.currency = ?', filter.currency);
      if (filter.asOf !== undefined) add('d.invoiced_at < ?', filter.asOf);
      conditions.push('d.total > COALESCE(p.paid, 0)');
      const rows = await reader.query<PayableRow>(payablesQuery(conditions, params, filter.asOf), params);
      return rows.map(toPayable);
    },
  };
}

export type PayableDocuments = ReturnType<typeof createPayableDocuments>;
