import { conflict, type DomainError } from '@tillstream/kernel';

/**
 * The supplier's invoice number as a clerk may type it twice: case, surrounding and inner spaces do not make
 * another invoice ("inv 0077" is "INV0077").
 */
export const sameInvoiceNumber = (number: string): string => number.replace(/\s+/g, '').toUpperCase();

/**
 * The document a supplier's invoice number was entered as: an invoice matched to a purchase order, or a
 * supplier bill (of goods received outside purchase orders, of expenses). `document` is the word payments use
 * for the two kinds.
 */
export type InvoiceNumberHolder =
  { document: 'invoice'; invoiceId: string; purchaseOrderId: string } | { document: 'bill'; billId: string };

const described = (holder: InvoiceNumberHolder): string =>
  holder.document === 'invoice'
    ? `invoice ${holder.invoiceId} of purchase order ${holder.purchaseOrderId}`
    : `bill ${holder.billId}`;

/**
 * 409 `supplier_invoice_number_taken`: the supplier's number is entered already, as `holder`. A paper invoice
 * is paid once, so its number is taken once per supplier, whichever way it was entered first: on a purchase
 * order or as a bill. Only a consolidated invoice shares it, matched to each order it covers.
 */
export function invoiceNumberTaken(
  supplierId: string,
  number: string,
  holder: InvoiceNumberHolder,
): DomainError {
  return conflict(
    'supplier_invoice_number_taken',
    `${supplierId}'s invoice ${number} is entered already, as ${described(holder)}`,
    { ...holder },
  );
}
