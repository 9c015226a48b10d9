import { Type } from 'typebox';
import { Currency, LocationId, Timestamp } from '@tillstream/contracts';
import { DocumentId } from '../inventory/inventory.schemas.js';

/** A stock movement's id as the ledger names it (`adjustment/<id>`, a purchase order receipt's line, …). */
const MovementId = Type.String({ minLength: 1, maxLength: 300, description: "A stock movement's `id`" });

export const SupplierBillBody = Type.Object(
  {
    id: {
      ...DocumentId,
      description: 'Made by the caller: the same request again is answered, not billed twice',
    },
    supplierId: { ...DocumentId, description: "The supplier's id, as purchase orders and payments name it" },
    supplierName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    supplierInvoiceNumber: Type.String({
      minLength: 1,
      maxLength: 100,
      description:
        "The supplier's own number for the bill, as printed on it: taken once per supplier (case and spaces aside)",
    }),
    currency: Currency,
    invoicedAt: Type.Optional({ ...Timestamp, description: "The bill's date; now when left out" }),
    dueAt: Type.Optional({
      ...Timestamp,
      description:
        'When it is to be paid, as printed on it; left out: its date plus the payment terms (net 30)',
    }),
    receipts: Type.Array(MovementId, {
      minItems: 1,
      maxItems: 500,
      description:
        'The receipts it bills: stock movements of goods received outside purchase orders, booked to 2310 ' +
        '(`GET /finance/unbilled-receipts` lists them)',
    }),
    total: Type.Integer({
      minimum: 1,
      maximum: 1e12,
      description: 'What the supplier bills, in minor units',
    }),
  },
  { additionalProperties: false },
);

const BilledReceipt = Type.Object({
  movementId: Type.String(),
  sku: Type.String(),
  locationId: Type.String(),
  quantity: Type.Integer(),
  value: Type.Integer({ description: 'What the valuation credited 2310 for it' }),
});

export const SupplierBillView = Type.Object({
  billId: Type.String(),
  supplierId: Type.String(),
  supplierName: Type.Union([Type.String(), Type.Null()]),
  supplierInvoiceNumber: Type.String(),
  currency: Type.String(),
  total: Type.Integer({ description: 'What the supplier bills: owed on 2000' }),
  matched: Type.Integer({ description: 'What the receipts came in at: moved off 2310' }),
  invoicedAt: Type.String(),
  dueAt: Type.String(),
  locationId: Type.Union([Type.String(), Type.Null()], {
    description: 'Where the goods came in, when all at one location',
  }),
  receipts: Type.Array(BilledReceipt),
  paid: Type.Integer({ description: 'What payments have paid of it so far' }),
  open: Type.Integer({ description: 'What is left to pay' }),
});

export const SupplierBillParams = Type.Object({ billId: DocumentId });

export const UnbilledReceiptsQuery = Type.Object(
  {
    currency: Type.Optional(Currency),
    locationId: Type.Optional(LocationId),
    after: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,15}$', description: "The previous page's `next`" }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);

export const UnbilledReceiptsPage = Type.Object({
  receipts: Type.Array(
    Type.Object({
      movementId: Type.String(),
      kind: Type.String({
        description: '`received` (an adjustment), or `po_received` (an item no line listed)',
      }),
      sku: Type.String(),
      locationId: Type.String(),
      quantity: Type.Integer(),
      occurredAt: Type.String(),
      currency: Type.String(),
      value: Type.Integer({ description: 'What it waits on 2310 at' }),
    }),
    { description: 'In the order the valuation booked them' },
  ),
  next: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as `after` for the next page; null on the last one',
  }),
});
