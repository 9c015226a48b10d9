import type { ErrorEntry } from './entry.js';

/**
 * Errors of accounts payable: paying the suppliers' invoices that purchase orders matched, and billing goods
 * received outside purchase orders (supplier bills).
 */
export const PAYABLES_ERRORS = {
  invoice_due_before_date: {
    kind: 'unprocessable',
    title: 'Invoice due before its date',
    description: "A supplier invoice's `dueAt` may not be before its `invoicedAt`.",
  },
  supplier_bill_not_found: {
    kind: 'not_found',
    title: 'Unknown supplier bill',
    description:
      'No supplier bill has this id (`billIds` lists those a payment named): bills of goods received outside ' +
      'purchase orders are recorded with `POST /erp/v1/finance/supplier-bills`.',
  },
  bill_receipt_not_found: {
    kind: 'not_found',
    title: 'Unknown stock movement',
    description: 'A supplier bill names stock movements that do not exist (`movementIds` lists them).',
  },
  bill_receipt_not_outside_order: {
    kind: 'unprocessable',
    title: 'Not a receipt outside a purchase order',
    description:
      'A supplier bill covers goods received outside purchase orders, which wait on 2310: an adjustment with ' +
      'reason `received`, or an item a purchase order receipt brought that the order did not list. A sale, an ' +
      'adjustment of another kind or a purchase order line received at its agreed cost is not one (the ' +
      "order's invoice bills that); `movementIds` lists them.",
  },
  bill_receipt_not_booked: {
    kind: 'conflict',
    title: 'Receipt not valued yet',
    description:
      'The valuation has not valued these receipts yet (`movementIds`), so what they came in at on 2310 is not ' +
      'known: retry in a moment. A receipt it valued at nothing (a SKU that never had a cost, received at the ' +
      'average) is not refused: it is billed at 0 on 2310, all it is billed at being price variance.',
  },
  bill_receipt_currency_mismatch: {
    kind: 'unprocessable',
    title: 'Receipt in another currency',
    description:
      "A supplier bill is in one currency: every receipt it covers must be valued in it (its SKU's currency; " +
      '`movementIds` lists those that are not).',
  },
  bill_receipt_already_billed: {
    kind: 'conflict',
    title: 'Receipt already billed',
    description:
      'A receipt is billed once: these are on another supplier bill already (`receipts` names each with its ' +
      '`billId`), so the supplier would be paid twice for the goods.',
  },
  supplier_bill_empty: {
    kind: 'invalid',
    title: 'Supplier bill bills nothing',
    description:
      'A supplier bill names at least one receipt (`receipts`) or one expense (`expenses`): a total with ' +
      'nothing behind it has no account to be booked to.',
  },
  bill_expense_account_invalid: {
    kind: 'unprocessable',
    title: 'Not an expense account a bill may book',
    description:
      "A supplier bill's expense line books one of the operating expense accounts (`accepted` lists them: " +
      '6100 occupancy to 6800 other operating expenses). Stock, cost of sales, price variance and the ' +
      'accounts the tills post (6900, 6950) are not billed by hand; `lines` names each line (from 1) and its ' +
      'account.',
  },
  bill_expense_total_mismatch: {
    kind: 'unprocessable',
    title: "Expenses do not fit the bill's total",
    description:
      'A bill of expenses only must add up to its `total` exactly; on a bill with receipts too, the expenses may ' +
      'not exceed it (the rest is what the goods are billed at). `total` and `expenses` (their sum) say how ' +
      'they differ.',
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
      'A payment pays one supplier in one currency: every invoice or bill it is allocated to must be that ' +
      "supplier's, billed in that currency (`invoiceIds` and `billIds` list those that are not).",
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
      "most what the supplier's open invoices and bills in its currency dated by its `paidAt` add up to " +
      '(`open` says how much that is): a supplier is never paid twice for one bill.',
  },
  supplier_payment_before_invoice: {
    kind: 'unprocessable',
    title: 'Payment dated before the invoice',
    description:
      'A payment settles only invoices and bills dated at or before its `paidAt` (`invoiceIds` and `billIds` ' +
      'list those dated after it): paid earlier, the supplier would owe for days that the aging shows nothing ' +
      'open. A payment made ahead of its invoice is recorded once the invoice is in, dated on or after it.',
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
  online_order_not_found: {
    kind: 'not_found',
    title: 'Unknown online order',
    description:
      'Finance has booked nothing of this online order: neither its placement (`commerce.order.placed`) nor a ' +
      'shipment of it. An order just placed shows once ERP has read the event.',
  },
  online_orders_query_invalid: {
    kind: 'invalid',
    title: 'Filter not of this list',
    description:
      '`olderThanMinutes` narrows the orders awaiting their placement (`status=awaiting_order`) only.',
  },
} as const satisfies Record<string, ErrorEntry>;
