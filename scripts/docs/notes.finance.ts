import type { EventNotes } from './notes.js';

const SALE_ID = '0195f3a2-7c1e-7b3a-9d2e-4f6a8b0c1d2e';
const SALE_EVENT_ID = '0195f3a2-7d40-7c11-8a5e-2b9f0c4d6e71';

/** Notes of ERP's finance events: what the journal booked. */
export const FINANCE_NOTES: Record<string, EventNotes> = {
  'erp.sales_tax.booked@1': {
    subject: 'sales-tax/{kind}/{documentId}',
    partitionKey: '{storeId}',
    sequence: '1',
    sequenceMeaning:
      "Always 1: a document's tax is booked once, with its journal entry, and never changes. A redelivered " +
      'sale or return posts nothing and publishes nothing.',
    partitionMeaning: 'The store, like the sales and returns it is about.',
    example: {
      id: '0195f3a2-7e21-7c36-9b47-0c1d2e3f4a5b',
      time: '2026-03-02T10:15:02.433Z',
      causationid: SALE_EVENT_ID,
      // The sale of `pos.sale.completed`'s example, in a store whose prices include 21 % VAT: 694 inside the
      // tees' 3,998 and 225 inside the socks' 1,299.
      data: {
        kind: 'sale',
        documentId: SALE_ID,
        storeId: 'store-amsterdam',
        occurredAt: '2026-03-02T10:15:00.000Z',
        currency: 'EUR',
        included: 919,
        added: 0,
        total: 919,
        rates: [{ ratePpm: 210_000, charged: 'included', net: 4378, tax: 919 }],
      },
    },
  },
  'erp.supplier_payment.recorded@1': {
    subject: 'supplier-payment/{paymentId}',
    partitionKey: 'supplier/{supplierId}',
    sequence: '1',
    sequenceMeaning:
      'Always 1: a payment is recorded once and never changed. A retried request under the same id publishes ' +
      'nothing again.',
    partitionMeaning:
      "The supplier paid, so a reader sees one supplier's payments in the order they were made.",
    example: {
      id: '0195f3e1-9a10-7e62-8b31-5c6d7e8f9a0b',
      time: '2026-04-10T08:30:12.204Z',
      // The bank transfer paying the T-shirt invoice of `erp.purchase_order.invoiced`'s example, and part of
      // a later one.
      data: {
        paymentId: 'pay-2026-0410-acme',
        supplierId: 'acme-textiles',
        currency: 'EUR',
        amount: 5_000,
        paidAt: '2026-04-10T08:30:00.000Z',
        reference: 'SEPA-20260410-0042',
        allocations: [
          {
            invoiceId: 'ap-2026-0412-1',
            purchaseOrderId: 'po-2026-0412',
            supplierInvoiceNumber: 'ACME-INV-88213',
            amount: 3_680,
            open: 0,
          },
          {
            invoiceId: 'ap-2026-0419-1',
            purchaseOrderId: 'po-2026-0419',
            supplierInvoiceNumber: 'ACME-INV-88467',
            amount: 1_320,
            open: 2_180,
          },
        ],
        bills: [],
      },
    },
  },
  'erp.supplier_bill.recorded@1': {
    subject: 'supplier-bill/{billId}',
    partitionKey: 'supplier/{supplierId}',
    sequence: '1',
    sequenceMeaning:
      'Always 1: a bill is recorded once and never changed. A retried request under the same id publishes ' +
      'nothing again.',
    partitionMeaning:
      "The supplier billed, as its payments are, so a reader sees one supplier's bills and payments in order.",
    example: {
      id: '0195f3e4-1b20-7a41-9c52-6d7e8f9a0b1c',
      time: '2026-04-11T14:05:37.518Z',
      // The bakery's weekly bill for two deliveries straight to the Amsterdam store, received with their cost
      // and booked to 2310, and its delivery charge (an expense, 6300): the bread is billed at what it came in
      // at, so there is no price variance. A bill of expenses only (rent, energy) has `receipts: []`.
      data: {
        billId: 'bill-2026-0411-bakker',
        supplierId: 'bakkerij-de-vries',
        supplierName: 'Bakkerij de Vries',
        supplierInvoiceNumber: 'DV-2026-0415',
        currency: 'EUR',
        total: 4_840,
        matched: 4_800,
        invoicedAt: '2026-04-11T00:00:00.000Z',
        dueAt: '2026-04-25T00:00:00.000Z',
        locationId: 'store-amsterdam',
        receipts: [
          {
            movementId: 'adjustment/dsd-2026-0407-bread',
            sku: 'BREAD-WHITE-800',
            locationId: 'store-amsterdam',
            quantity: 20,
            value: 2_400,
          },
          {
            movementId: 'adjustment/dsd-2026-0410-bread',
            sku: 'BREAD-WHITE-800',
            locationId: 'store-amsterdam',
            quantity: 20,
            value: 2_400,
          },
        ],
        expenses: [
          {
            account: '6300',
            amount: 40,
            description: 'Delivery charge, week 15',
            locationId: 'store-amsterdam',
          },
        ],
      },
    },
  },
};
