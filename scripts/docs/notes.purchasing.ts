import type { EventNotes } from './notes.js';

/** One purchase order's story: submitted (version 1), received in two deliveries (2, 3); or cancelled. */
const ORDER = {
  purchaseOrderId: 'po-2026-0412',
  supplier: { id: 'acme-textiles', name: 'Acme Textiles B.V.' },
  locationId: 'wh-tilburg',
  currency: 'EUR',
  expectedAt: '2026-03-10T08:00:00.000Z',
  total: 8_700,
};

const ordered = (received: [number, number]) => [
  { sku: 'TEE-001', quantity: 10, unitCost: 450, received: received[0] },
  { sku: 'SOCK-003', quantity: 6, unitCost: 700, received: received[1] },
];

/** The order as its last delivery closed it: two T-shirts short, one pair of socks over. */
const CLOSED_SHORT_AND_OVER = [
  { sku: 'TEE-001', ordered: 10, received: 8, difference: -2 },
  { sku: 'SOCK-003', ordered: 6, received: 7, difference: 1 },
];

const common = (sequenceMeaning: string) => ({
  subject: 'purchase-order/{purchaseOrderId}',
  partitionKey: 'purchase-order/{purchaseOrderId}',
  sequence: '{version}',
  sequenceMeaning,
  partitionMeaning: 'The subject (the default).',
});

/** Notes of ERP's purchase order events: ordering from suppliers and receiving against the order. */
export const PURCHASING_NOTES: Record<string, EventNotes> = {
  'erp.purchase_order.submitted@1': {
    ...common(
      'The order version, equal to `data.version`: one more than the draft when submitted (1, or more if the ' +
        'draft was edited: a draft publishes nothing), one more per receipt or for the cancel.',
    ),
    example: {
      id: '0195f3d0-1a20-7d55-9e60-7a8b9c0d1e41',
      time: '2026-03-03T11:20:04.210Z',
      data: {
        ...ORDER,
        version: 1,
        status: 'ordered',
        lines: ordered([0, 0]),
        discrepancies: [],
        occurredAt: '2026-03-03T11:20:04.208Z',
      },
    },
  },
  'erp.purchase_order.received@1': {
    ...common('The order version, equal to `data.version`: one more per receipt.'),
    example: {
      id: '0195f3d8-7b31-7d55-9e60-7a8b9c0d1e42',
      time: '2026-03-10T09:41:12.530Z',
      data: {
        ...ORDER,
        version: 3,
        status: 'received',
        lines: ordered([8, 7]),
        discrepancies: CLOSED_SHORT_AND_OVER,
        occurredAt: '2026-03-10T09:30:00.000Z',
        receipt: { receiptId: 'grn-2026-0412-2', lines: [{ sku: 'SOCK-003', quantity: 7 }], close: true },
      },
    },
  },
  'erp.purchase_order.cancelled@1': {
    ...common(
      'The order version, equal to `data.version`: one more than the last event of the order (1 for a ' +
        'draft cancelled before it was submitted).',
    ),
    example: {
      id: '0195f3d2-0c44-7d55-9e60-7a8b9c0d1e43',
      time: '2026-03-04T16:05:40.118Z',
      data: {
        ...ORDER,
        version: 2,
        status: 'cancelled',
        lines: ordered([0, 0]),
        discrepancies: [],
        occurredAt: '2026-03-04T16:05:40.115Z',
      },
    },
  },
  'erp.purchase_order.invoiced@1': {
    ...common('The order version, equal to `data.version`: one more per invoice matched to it.'),
    example: {
      id: '0195f3e1-2c40-7d55-9e60-7a8b9c0d1e44',
      time: '2026-03-14T10:02:45.118Z',
      data: {
        ...ORDER,
        version: 4,
        status: 'received',
        lines: ordered([8, 7]),
        discrepancies: CLOSED_SHORT_AND_OVER,
        occurredAt: '2026-03-14T10:02:45.116Z',
        invoice: {
          invoiceId: 'ap-2026-0412-1',
          supplierInvoiceNumber: 'ACME-INV-88213',
          // The supplier bills the T-shirts at 4.60 where the order agreed 4.50: 80 of price variance.
          lines: [{ sku: 'TEE-001', quantity: 8, unitCost: 460, orderedUnitCost: 450 }],
          total: 3_680,
          matched: 3_600,
          invoicedAt: '2026-03-12T00:00:00.000Z',
          // Net 30: the invoice printed no due date of its own.
          dueAt: '2026-04-11T00:00:00.000Z',
        },
      },
    },
  },
};
