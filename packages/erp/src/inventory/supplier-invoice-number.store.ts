import type { Tx } from '@tillstream/kernel';
import { invoiceNumberTaken, type InvoiceNumberHolder } from './supplier-invoice-number.decide.js';

interface HolderRow {
  document: string;
  document_id: string;
  purchase_order_id: string | null;
}

const holderOf = (row: HolderRow): InvoiceNumberHolder =>
  row.document === 'invoice'
    ? { document: 'invoice', invoiceId: row.document_id, purchaseOrderId: row.purchase_order_id ?? '' }
    : { document: 'bill', billId: row.document_id };

/**
 * Which document each supplier's invoice number was entered as (`supplier_invoice_numbers`, one row per
 * supplier and number): purchase order invoices and supplier bills alike, so the same paper invoice cannot be
 * entered once on an order and again as a bill, or twice as a bill, and paid twice.
 */
export function createSupplierInvoiceNumbers() {
  return {
    /**
     * Claims the number for a document recorded in this transaction, or throws 409
     * `supplier_invoice_number_taken` naming the document that has it. The primary key decides, not a read: of
     * two documents with one number sent at once, the second's insert waits for the first to commit
     * (PostgreSQL) and then finds its row, so exactly one is taken on either engine. A faithful retry never
     * gets here: its document's id is claimed first and answers what was recorded.
     */
    async claim(
      tx: Tx,
      claim: {
        supplierId: string;
        number: string;
        numberKey: string;
        holder: InvoiceNumberHolder;
        at: string;
      },
    ): Promise<void> {
      const { holder } = claim;
      const inserted = await tx.execute(
        `INSERT INTO supplier_invoice_numbers
           (supplier_id, invoice_number_key, document, document_id, purchase_order_id, claimed_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [
          claim.supplierId,
          claim.numberKey,
          holder.document,
          holder.document === 'invoice' ? holder.invoiceId : holder.billId,
          holder.document === 'invoice' ? holder.purchaseOrderId : null,
          claim.at,
        ],
      );
      if (inserted === 1) return;
      const [row] = await tx.query<HolderRow>(
        `SELECT document, document_id, purchase_order_id FROM supplier_invoice_numbers
         WHERE supplier_id = $1 AND invoice_number_key = $2`,
        [claim.supplierId, claim.numberKey],
      );
      const taken = holderOf(row!);
      if (!mayShare(taken, holder)) throw invoiceNumberTaken(claim.supplierId, claim.number, taken);
    },
  };
}

/**
 * One paper invoice covering several purchase orders (a consolidated invoice) is matched to each order it
 * covers under its number: each order's three-way match bounds what it pays there, and the order itself
 * refuses the number twice (`decideInvoice`). The first order's invoice keeps the row, so a bill with the
 * number is still refused. A bill shares its number with nothing.
 */
function mayShare(taken: InvoiceNumberHolder, claimant: InvoiceNumberHolder): boolean {
  return (
    taken.document === 'invoice' &&
    claimant.document === 'invoice' &&
    taken.purchaseOrderId !== claimant.purchaseOrderId
  );
}

export type SupplierInvoiceNumbers = ReturnType<typeof createSupplierInvoiceNumbers>;
