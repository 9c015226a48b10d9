import { Type, type Static } from 'typebox';
import { defineEvent } from '../envelope.js';
import { Currency, LocationId, Sku, Timestamp } from '../common.js';

const PurchaseOrderLine = Type.Object({
  sku: Sku,
  /** Units ordered; 0 for an item that arrived without being on the order. */
  quantity: Type.Integer({ minimum: 0 }),
  /** Agreed cost per unit in minor units of `currency`; null for an item that was not ordered. */
  unitCost: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  /** Units received so far, over all receipts. */
  received: Type.Integer({ minimum: 0 }),
});

const Discrepancy = Type.Object({
  sku: Sku,
  ordered: Type.Integer({ minimum: 0 }),
  received: Type.Integer({ minimum: 0 }),
  /** received − ordered: negative is short, positive is over (or not ordered at all). */
  difference: Type.Integer(),
});

/** The purchase order as it is after the change: every event of it carries the whole state. */
const PurchaseOrderData = Type.Object({
  purchaseOrderId: Type.String(),
  /** The order's version, also the envelope sequence of subject `purchase-order/{purchaseOrderId}`. */
  version: Type.Integer({ minimum: 1 }),
  status: Type.Union([
    Type.Literal('ordered'),
    Type.Literal('partially_received'),
    Type.Literal('received'),
    Type.Literal('cancelled'),
  ]),
  supplier: Type.Object({ id: Type.String(), name: Type.Optional(Type.String()) }),
  /** Where the goods are delivered and stocked. */
  locationId: LocationId,
  currency: Currency,
  /** When the supplier is expected to deliver, if agreed. */
  expectedAt: Type.Optional(Timestamp),
  lines: Type.Array(PurchaseOrderLine),
  /** Ordered value: the sum of quantity × unitCost, in minor units of `currency`. */
  total: Type.Integer({ minimum: 0 }),
  /** Lines received short or over; filled when the order closes (`received`), else empty. */
  discrepancies: Type.Array(Discrepancy),
  occurredAt: Timestamp,
});
export type PurchaseOrderEventData = Static<typeof PurchaseOrderData>;

export const PurchaseOrderSubmittedV1 = defineEvent(
  'erp.purchase_order.submitted',
  1,
  'A purchase order was sent to its supplier: its lines now count as on order at its location until they ' +
    'are received or the order is cancelled.',
  Type.Object({ ...PurchaseOrderData.properties, status: Type.Literal('ordered') }),
);
export type PurchaseOrderSubmittedV1Data = Static<typeof PurchaseOrderSubmittedV1.dataSchema>;

export const PurchaseOrderReceivedV1 = defineEvent(
  'erp.purchase_order.received',
  1,
  "Goods of a purchase order arrived: `receipt` lists what this delivery added to the location's on-hand " +
    '(movement kind `po_received`). `status` is `received` once every line arrived in full or the receipt ' +
    'closed the order; then `discrepancies` lists each line received short or over.',
  Type.Object({
    ...PurchaseOrderData.properties,
    status: Type.Union([Type.Literal('partially_received'), Type.Literal('received')]),
    receipt: Type.Object({
      receiptId: Type.String(),
      lines: Type.Array(Type.Object({ sku: Sku, quantity: Type.Integer({ minimum: 1 }) })),
      /** True when the receipt closed the order, whatever had not arrived. */
      close: Type.Boolean(),
    }),
  }),
);
export type PurchaseOrderReceivedV1Data = Static<typeof PurchaseOrderReceivedV1.dataSchema>;

export const PurchaseOrderCancelledV1 = defineEvent(
  'erp.purchase_order.cancelled',
  1,
  'A purchase order was cancelled before anything of it arrived: nothing of it is on order any more.',
  Type.Object({ ...PurchaseOrderData.properties, status: Type.Literal('cancelled') }),
);
export type PurchaseOrderCancelledV1Data = Static<typeof PurchaseOrderCancelledV1.dataSchema>;

export const PurchaseOrderInvoicedV1 = defineEvent(
  'erp.purchase_order.invoiced',
  1,
  "The supplier's invoice for goods of a purchase order was matched to it: `invoice` lists what it bills, " +
    'never more of a line than has been received (three-way match: ordered, received, billed). `matched` is ' +
    'what those units were taken into stock at (their agreed cost), `total` what the supplier bills: ERP ' +
    'moves `matched` off goods received not invoiced (2300), owes `total` to the supplier (2000) and books ' +
    'the difference as purchase price variance (5200).',
  Type.Object({
    ...PurchaseOrderData.properties,
    status: Type.Union([
      Type.Literal('ordered'),
      Type.Literal('partially_received'),
      Type.Literal('received'),
    ]),
    invoice: Type.Object({
      invoiceId: Type.String(),
      /** The supplier's own number for the invoice, as printed on it. */
      supplierInvoiceNumber: Type.String(),
      lines: Type.Array(
        Type.Object({
          sku: Sku,
          quantity: Type.Integer({ minimum: 1 }),
          /** What the supplier bills per unit, minor units of `currency`. */
          unitCost: Type.Integer({ minimum: 0 }),
          /** What the order agreed per unit: the cost the units were valued at when they arrived. */
          orderedUnitCost: Type.Integer({ minimum: 0 }),
        }),
      ),
      /** Σ quantity × unitCost: what the supplier is owed for this invoice. */
      total: Type.Integer({ minimum: 0 }),
      /** Σ quantity × orderedUnitCost: what these units came into stock at. */
      matched: Type.Integer({ minimum: 0 }),
      /** The invoice's date (business time). */
      invoicedAt: Timestamp,
      /**
       * When the supplier is to be paid: the date printed on the invoice, else its date plus ERP's default
       * payment terms. Absent from invoices taken before due dates were kept.
       */
      dueAt: Type.Optional(Timestamp),
    }),
  }),
);
export type PurchaseOrderInvoicedV1Data = Static<typeof PurchaseOrderInvoicedV1.dataSchema>;
