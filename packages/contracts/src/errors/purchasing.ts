import type { ErrorEntry } from './entry.js';

/**
 * Errors of purchase orders (ordering from suppliers, receiving against the order and matching invoices) and
 * of the reorder policies that say what to order.
 */
export const PURCHASING_ERRORS = {
  purchase_order_not_found: {
    kind: 'not_found',
    title: 'Unknown purchase order',
    description: 'No purchase order has this id.',
  },
  purchase_order_state: {
    kind: 'conflict',
    title: 'Purchase order is in the wrong state',
    description:
      'Edit or submit a draft; receive an ordered or partially received order; invoice an ordered, partially ' +
      'received or received one; cancel a draft or an ordered one before anything of it arrived (a partly ' +
      'received order ends by a receipt with `close: true`).',
  },
  purchase_order_currency_mismatch: {
    kind: 'unprocessable',
    title: 'Purchase order in another currency than its products',
    description:
      'Stock is valued at cost in the currency its product is priced in, and ERP converts no currency: order ' +
      'in the products’ currency (`skus` lists those priced in another).',
  },
  purchase_order_value_too_large: {
    kind: 'invalid',
    title: 'Purchase order value too large',
    description: 'The sum of quantity × unitCost over the lines may be at most 10^12 minor units.',
  },
  receipt_in_future: {
    kind: 'unprocessable',
    title: 'Receipt dated in the future',
    description:
      '`occurredAt` of a purchase order or transfer receipt may be at most a minute ahead of the server clock ' +
      '(as for counts and adjustments); past dates are allowed.',
  },
  invoice_line_not_ordered: {
    kind: 'unprocessable',
    title: 'Invoice line not on the order',
    description:
      'An invoice matched to a purchase order bills only lines of it with an agreed `unitCost`: an item that ' +
      'was not ordered (or arrived without being ordered) has no cost to match against (`skus` lists them).',
  },
  invoice_exceeds_receipts: {
    kind: 'unprocessable',
    title: 'Invoice bills more than was received',
    description:
      'Over all invoices of a purchase order, a line may be billed for at most the units received of it: a ' +
      'supplier is paid only for what arrived (`skus` lists the lines billed beyond that).',
  },
  supplier_invoice_number_taken: {
    kind: 'conflict',
    title: 'Supplier invoice number already entered',
    description:
      "A supplier's invoice number (`supplierInvoiceNumber`, compared without case and spaces) is entered once " +
      'per supplier, whether matched to its purchase orders or recorded as a supplier bill: the same paper ' +
      'entered again, on the same order, as a bill after an invoice or an invoice after a bill, would pay the ' +
      'supplier twice. One paper covering several orders is matched to each of them under its number. The ' +
      'document that has it is named: `document` `invoice` with `invoiceId` and `purchaseOrderId`, or `bill` ' +
      'with `billId`. A retry under the same id with the same body is replayed, not refused.',
  },
  invoice_in_future: {
    kind: 'unprocessable',
    title: 'Invoice dated in the future',
    description:
      '`invoicedAt` of a supplier invoice may be at most a minute ahead of the server clock (as for receipts); ' +
      'past dates are allowed.',
  },
  invoice_value_too_large: {
    kind: 'invalid',
    title: 'Invoice value too large',
    description:
      'The sum of quantity × unitCost over an invoice’s lines, and of quantity × the order’s agreed unitCost, ' +
      'may each be at most 10^12 minor units.',
  },
  order_up_to_below_reorder_point: {
    kind: 'unprocessable',
    title: 'Order-up-to level below the reorder point',
    description:
      'A reorder policy fills the inventory position up to `orderUpTo` once it falls to `reorderPoint`, so ' +
      '`orderUpTo` must be at least `reorderPoint`.',
  },
  reorder_policy_not_found: {
    kind: 'not_found',
    title: 'Unknown reorder policy',
    description: 'The SKU has no reorder policy at this location.',
  },
} as const satisfies Record<string, ErrorEntry>;
