import type { ErrorEntry } from './entry.js';

/** Errors of accounts payable: paying the suppliers' invoices that purchase orders matched. */
export const PAYABLES_ERRORS = {
  invoice_due_before_date: {
    kind: 'unprocessable',
    title: 'Invoice due before its date',
    description: "A supplier invoice's `dueAt` may not be before its `invoicedAt`.",
  },
  supplier_invoice_not_found: {
    kind: 'not_found',
    title: 'Unknown supplier invoice',
    description:
      'No purchase order has an invoice with this `invoiceId` (`invoiceIds` lists them): a payment is ' +
      'allocated to invoices matched to purchase orders, by the id they were taken under.',
  },
  supplier_invoice_other_supplier: {
    kind: 'unprocessable',
    title: 'Invoice of another supplier or currency',
    description:
      "A payment pays one supplier in one currency: every invoice it is allocated to must be that supplier's, " +
      'billed in that currency (`invoiceIds` lists those that are not).',
  },
  supplier_payment_allocation_mismatch: {
    kind: 'unprocessable',
    title: 'Allocations do not add up to the payment',
    description:
      'When a payment lists its allocations, they must add up to its `amount` exactly; leave them out to ' +
      'pay the oldest open invoices first.',
  },
  supplier_payment_exceeds_open: {
    kind: 'conflict',
    title: 'Payment exceeds what is owed',
    description:
      'An allocation may pay at most what its invoice still has open, and a payment without allocations at ' +
      "most what the supplier's open invoices in its currency add up to (`open` says how much that is): " +
      'a supplier is never paid twice for one bill.',
  },
  supplier_payment_in_future: {
    kind: 'unprocessable',
    title: 'Payment dated in the future',
    description:
      '`paidAt` of a supplier payment may be at most a minute ahead of the server clock; past dates are allowed.',
  },
  supplier_payment_not_found: {
    kind: 'not_found',
    title: 'Unknown supplier payment',
    description: 'No supplier payment has this id.',
  },
} as const satisfies Record<string, ErrorEntry>;
