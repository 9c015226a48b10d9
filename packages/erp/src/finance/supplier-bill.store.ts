import { asNumber, conflict, placeholderRows, placeholders, type Db, type Tx } from '@tillstream/kernel';
import { invoiceNumberTaken } from '../inventory/supplier-invoice-number.decide.js';
import { ACCOUNTS } from './accounts.js';
import type { BilledExpense } from './supplier-bill-expense.decide.js';
import type { BilledReceipt, ReceiptOnRecord, SupplierBill } from './supplier-bill.decide.js';

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

/** A bill as it stands: what it billed and what payments have paid of it. */
export type SupplierBillView = SupplierBill & { paid: number; open: number };

/** What 2310 holds for a receipt: the credit less any debit of its `goods_received` entry. */
const RECEIPT_2310 = `(SELECT SUM(l.credit - l.debit) FROM journal_lines l
  WHERE l.entry_no = e.entry_no AND l.account = '${ACCOUNTS.receivedOutsideOrders.code}')`;

/** What the valuation booked a receipt at, from the first of its entry, its listed row and its bill. */
const bookedOf = (row: Record<string, unknown>): ReceiptOnRecord['booked'] => {
  if (row.entry_no !== null) return { currency: row.currency as string, value: asNumber(row.value ?? 0) };
  if (row.listed_currency !== null)
    return { currency: row.listed_currency as string, value: asNumber(row.listed_value) };
  if (row.billed_currency !== null)
    return { currency: row.billed_currency as string, value: asNumber(row.billed_value) };
  return null;
};

const billedReceipts = (rows: Array<Record<string, unknown>>): BilledReceipt[] =>
  rows.map((row) => ({
    movementId: row.movement_id as string,
    sku: row.sku as string,
    locationId: row.location_id as string,
    quantity: asNumber(row.quantity),
    value: asNumber(row.value),
  }));

const billedExpenses = (rows: Array<Record<string, unknown>>): BilledExpense[] =>
  rows.map((row) => ({
    account: row.account as BilledExpense['account'],
    amount: asNumber(row.amount),
    description: row.description as string,
    locationId: (row.location_id as string | null) ?? null,
  }));

/** Supplier bills of goods received outside purchase orders and of expenses, and which receipts each took. */
export function createSupplierBillStore() {
  return {
    /**
     * Claims a bill's client-made id, with its supplier and invoice number, before anything else is written: one
     * insert that either unique key can refuse. Claimed before by the same request: false (the caller answers
     * with the bill as recorded); by another, 409 `id_conflict`; the number taken by another of the supplier's
     * bills, 409 `supplier_invoice_number_taken`. A concurrent twin waits for the first to commit, then sees it.
     */
    async claim(
      tx: Tx,
      claim: { id: string; hash: string; at: string; supplierId: string; number: string; numberKey: string },
    ): Promise<boolean> {
      const inserted = await tx.execute(
        `INSERT INTO supplier_bills (id, request_hash, recorded_at, supplier_id, invoice_number_key)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [claim.id, claim.hash, claim.at, claim.supplierId, claim.numberKey],
      );
      if (inserted === 1) return true;
      const [same] = await tx.query<{ request_hash: string }>(
        'SELECT request_hash FROM supplier_bills WHERE id = $1',
        [claim.id],
      );
      if (same) {
        if (same.request_hash !== claim.hash)
          throw conflict('id_conflict', `Supplier bill ${claim.id} exists with other content`);
        return false;
      }
      const [holder] = await tx.query<{ id: string }>(
        'SELECT id FROM supplier_bills WHERE supplier_id = $1 AND invoice_number_key = $2',
        [claim.supplierId, claim.numberKey],
      );
      throw invoiceNumberTaken(claim.supplierId, claim.number, { document: 'bill', billId: holder!.id });
    },

    /**
     * The stock movements among these ids, with what the valuation booked them at on 2310 and the bill that has
     * each, if any. Booked: its `goods_received` entry's 2310 lines; else its row on the work list (a receipt
     * valued at nothing posts no entry, and is listed at 0); else, once billed, what its bill took it at. None
     * of the three: the valuation has not valued it yet.
     */
    async receipts(tx: Tx, movementIds: readonly string[]): Promise<ReceiptOnRecord[]> {
      if (movementIds.length === 0) return [];
      const rows = await tx.query<Record<string, unknown>>(
        `SELECT m.id, m.kind, m.unit_cost, m.sku, m.location_id, m.quantity, e.entry_no, e.currency,
           ${RECEIPT_2310} AS value, u.currency AS listed_currency, u.value AS listed_value, r.bill_id,
           b.currency AS billed_currency, r.value AS billed_value
         FROM stock_movements m
         LEFT JOIN journal_entries e ON e.kind = 'goods_received' AND e.source_id = m.id
         LEFT JOIN unbilled_receipts u ON u.movement_id = m.id
         LEFT JOIN supplier_bill_receipts r ON r.movement_id = m.id
         LEFT JOIN supplier_bills b ON b.id = r.bill_id
         WHERE m.id IN (${placeholders(movementIds.length)})`,
        [...movementIds],
      );
      return rows.map((row) => ({
        movementId: row.id as string,
        kind: row.kind as string,
        unitCost: row.unit_cost === null ? null : asNumber(row.unit_cost),
        sku: row.sku as string,
        locationId: row.location_id as string,
        quantity: asNumber(row.quantity),
        booked: bookedOf(row),
        billedBy: (row.bill_id as string | null) ?? null,
      }));
    },

    /** Those of these locations that exist. */
    async knownLocations(tx: Tx, locationIds: readonly string[]): Promise<string[]> {
      if (locationIds.length === 0) return [];
      const rows = await tx.query<{ location_id: string }>(
        `SELECT location_id FROM locations WHERE location_id IN (${placeholders(locationIds.length)})`,
        [...locationIds],
      );
      return rows.map((row) => row.location_id);
    },

    /**
     * Fills in the bill claimed in this transaction, writes its expenses and takes its receipts off the work
     * list of receipts to bill. A receipt's row is its claim: of two bills taking one receipt at once, the
     * second waits for the first to commit and takes nothing, and is refused (409
     * `bill_receipt_already_billed`), so the list loses a receipt exactly when a bill has it.
     */
    async record(tx: Tx, bill: SupplierBill): Promise<void> {
      await tx.execute(
        `UPDATE supplier_bills SET supplier_name = $1, supplier_invoice_number = $2, currency = $3, total = $4,
           matched = $5, location_id = $6, invoiced_at = $7, due_at = $8 WHERE id = $9`,
        [
          bill.supplierName,
          bill.supplierInvoiceNumber,
          bill.currency,
          bill.total,
          bill.matched,
          bill.locationId,
          bill.invoicedAt,
          bill.dueAt,
          bill.billId,
        ],
      );
      if (bill.expenses.length > 0)
        await tx.execute(
          `INSERT INTO supplier_bill_expenses (bill_id, line_no, account, amount, description, location_id)
           VALUES ${placeholderRows(bill.expenses.length, 6)}`,
          bill.expenses.flatMap((expense, index) => [
            bill.billId,
            index + 1,
            expense.account,
            expense.amount,
            expense.description,
            expense.locationId,
          ]),
        );
      if (bill.receipts.length === 0) return;
      const taken = await tx.execute(
        `INSERT INTO supplier_bill_receipts (movement_id, bill_id, line_no, value)
         VALUES ${placeholderRows(bill.receipts.length, 4)} ON CONFLICT DO NOTHING`,
        bill.receipts.flatMap((receipt, index) => [
          receipt.movementId,
          bill.billId,
          index + 1,
          receipt.value,
        ]),
      );
      const ids = bill.receipts.map((receipt) => receipt.movementId);
      if (taken === bill.receipts.length) {
        await tx.execute(
          `DELETE FROM unbilled_receipts WHERE movement_id IN (${placeholders(ids.length)})`,
          ids,
        );
        return;
      }
      const others = await tx.query<{ movement_id: string; bill_id: string }>(
        `SELECT movement_id, bill_id FROM supplier_bill_receipts
         WHERE movement_id IN (${placeholders(ids.length)}) AND bill_id <> $${ids.length + 1}`,
        [...ids, bill.billId],
      );
      throw conflict('bill_receipt_already_billed', 'Receipts were billed by another bill meanwhile', {
        receipts: others.map((row) => ({ movementId: row.movement_id, billId: row.bill_id })),
      });
    },

    async find(reader: Reader, billId: string): Promise<SupplierBillView | null> {
      const [row] = await reader.query<Record<string, unknown>>(
        `SELECT b.*, COALESCE((SELECT SUM(a.amount) FROM supplier_payment_allocations a
           JOIN supplier_payments s ON s.id = a.payment_id
           WHERE a.document = 'bill' AND a.invoice_id = b.id AND s.paid_at IS NOT NULL), 0) AS paid
         FROM supplier_bills b WHERE b.id = $1 AND b.total IS NOT NULL`,
        [billId],
      );
      if (!row) return null;
      const receipts = await reader.query<Record<string, unknown>>(
        `SELECT r.movement_id, m.sku, m.location_id, m.quantity, r.value
         FROM supplier_bill_receipts r JOIN stock_movements m ON m.id = r.movement_id
         WHERE r.bill_id = $1 ORDER BY r.line_no`,
        [billId],
      );
      const expenses = await reader.query<Record<string, unknown>>(
        `SELECT account, amount, description, location_id FROM supplier_bill_expenses
         WHERE bill_id = $1 ORDER BY line_no`,
        [billId],
      );
      const total = asNumber(row.total);
      const paid = asNumber(row.paid);
      return {
        billId: row.id as string,
        supplierId: row.supplier_id as string,
        supplierName: (row.supplier_name as string | null) ?? null,
        supplierInvoiceNumber: row.supplier_invoice_number as string,
        currency: row.currency as string,
        total,
        matched: asNumber(row.matched),
        invoicedAt: row.invoiced_at as string,
        dueAt: row.due_at as string,
        locationId: (row.location_id as string | null) ?? null,
        receipts: billedReceipts(receipts),
        expenses: billedExpenses(expenses),
        paid,
        open: total - paid,
      };
    },
  };
}

export type SupplierBillStore = ReturnType<typeof createSupplierBillStore>;
