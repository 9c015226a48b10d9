import { Type } from 'typebox';
import { Currency, LocationId, Sku, Timestamp } from '@tillstream/contracts';
import { DocumentId } from './inventory.schemas.js';
import { MAX_ORDER_VALUE } from './purchase-order.decide.js';

const Quantity = Type.Integer({ minimum: 1, maximum: 1_000_000 });

const UnitCost = Type.Integer({
  minimum: 0,
  maximum: MAX_ORDER_VALUE,
  description: 'Cost per unit in minor units of `currency`',
});

const PurchaseOrderStatus = Type.Union(
  [
    Type.Literal('draft'),
    Type.Literal('ordered'),
    Type.Literal('partially_received'),
    Type.Literal('received'),
    Type.Literal('cancelled'),
  ],
  { description: 'draft → ordered → partially_received → received; draft or ordered → cancelled' },
);

/** What an order says: a create's body without the id, and all an edit of a draft replaces. */
const orderContent = {
  supplier: Type.Object(
    { id: DocumentId, name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
    { additionalProperties: false },
  ),
  locationId: LocationId,
  expectedAt: Type.Optional(Timestamp),
  currency: Currency,
  lines: Type.Array(
    Type.Object(
      {
        sku: Sku,
        quantity: Quantity,
        unitCost: UnitCost,
      },
      { additionalProperties: false },
    ),
    { minItems: 1, maxItems: 500 },
  ),
};

export const PurchaseOrderBody = Type.Object(
  { id: DocumentId, ...orderContent },
  { additionalProperties: false },
);

export const PurchaseOrderEditBody = Type.Object(orderContent, { additionalProperties: false });

export const ReceiptBody = Type.Object(
  {
    id: DocumentId,
    lines: Type.Array(Type.Object({ sku: Sku, quantity: Quantity }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 500,
    }),
    occurredAt: Type.Optional(Timestamp),
    close: Type.Optional(
      Type.Boolean({ description: 'Close the order: what has not arrived is not expected any more' }),
    ),
  },
  { additionalProperties: false },
);

/**
 * A supplier's own number for an invoice or bill, as printed on it. At least one character that is not a
 * space: case and spaces aside it is the key the supplier's papers are told apart by, which a blank one lacks.
 */
export const SupplierInvoiceNumber = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '\\S',
  description:
    "The supplier's own number for it, as printed on it: entered once per supplier, on a purchase order or as " +
    'a bill (case and spaces aside)',
});

export const InvoiceBody = Type.Object(
  {
    id: DocumentId,
    supplierInvoiceNumber: SupplierInvoiceNumber,
    invoicedAt: Type.Optional({ ...Timestamp, description: "The invoice's date; now when left out" }),
    dueAt: Type.Optional({
      ...Timestamp,
      description:
        'When the supplier is to be paid, as printed on the invoice; left out, its date plus the default ' +
        'payment terms (TILLSTREAM_SUPPLIER_PAYMENT_TERMS_DAYS, net 30)',
    }),
    lines: Type.Array(
      Type.Object(
        {
          sku: Sku,
          quantity: Quantity,
          unitCost: {
            ...UnitCost,
            description: 'What the supplier bills per unit, minor units of `currency`',
          },
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);

export const PurchaseOrderView = Type.Object({
  id: Type.String(),
  supplier: Type.Object({ id: Type.String(), name: Type.Optional(Type.String()) }),
  locationId: Type.String(),
  currency: Type.String(),
  expectedAt: Type.Union([Type.String(), Type.Null()]),
  status: PurchaseOrderStatus,
  lines: Type.Array(
    Type.Object({
      sku: Type.String(),
      quantity: Type.Integer({ description: 'Ordered (0: arrived without being ordered)' }),
      unitCost: Type.Union([Type.Integer(), Type.Null()], { description: 'Null: not ordered' }),
      received: Type.Integer(),
      invoiced: Type.Integer({ description: 'Units invoiced so far, never more than received' }),
    }),
  ),
  total: Type.Integer({ description: 'Ordered value: Σ quantity × unitCost, in minor units' }),
  awaitingInvoice: Type.Integer({
    description:
      'Received and not invoiced yet, at the agreed costs: Σ (received − invoiced) × unitCost over the lines ' +
      'with a cost. Over all orders, what the books hold on 2300 (goods received not invoiced)',
  }),
  discrepancies: Type.Array(
    Type.Object({
      sku: Type.String(),
      ordered: Type.Integer(),
      received: Type.Integer(),
      difference: Type.Integer({ description: 'received − ordered' }),
    }),
  ),
  receipts: Type.Array(
    Type.Object({
      receiptId: Type.String(),
      receivedAt: Type.String({
        description: "When the goods arrived: the receipt's `occurredAt`, else when it was recorded",
      }),
      lines: Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer() })),
    }),
    { description: 'Every receipt taken against the order, in the order they were taken' },
  ),
  invoices: Type.Array(
    Type.Object({
      invoiceId: Type.String(),
      supplierInvoiceNumber: Type.String(),
      invoicedAt: Type.String({
        description: "The invoice's date: its `invoicedAt`, else when it was recorded",
      }),
      dueAt: Type.String({
        description:
          'When the supplier is to be paid (invoices taken before due dates were kept: their date)',
      }),
      total: Type.Integer({ description: 'What the supplier bills: Σ quantity × unitCost' }),
      matched: Type.Integer({
        description: "What those units came into stock at: Σ quantity × the order's unitCost",
      }),
    }),
    { description: 'Every supplier invoice matched to the order, in the order they were taken' },
  ),
  version: Type.Integer({
    description:
      'One more per change: each edit of a draft, the submit, each receipt, each invoice, the cancel',
  }),
  createdAt: Type.String(),
  submittedAt: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([Type.String(), Type.Null()]),
});

export const PurchaseOrderParams = Type.Object({ id: DocumentId });

export const PurchaseOrderQuery = Type.Object({
  after: Type.String({ default: '', maxLength: 100, description: "The previous page's `next`" }),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  status: Type.Optional(PurchaseOrderStatus),
  locationId: Type.Optional(LocationId),
  sku: Type.Optional(Sku),
  awaitingInvoice: Type.Optional(
    Type.Boolean({
      description:
        'true: orders with goods received that the supplier has not invoiced yet (what 2300 holds); false: none',
    }),
  ),
  expectedBefore: Type.Optional({
    ...Timestamp,
    description:
      'Only open orders (ordered, partially received) expected before this instant: with now, the overdue ones',
  }),
});

export const PurchaseOrderPage = Type.Object({
  purchaseOrders: Type.Array(PurchaseOrderView),
  next: Type.Union([Type.String(), Type.Null()]),
});
