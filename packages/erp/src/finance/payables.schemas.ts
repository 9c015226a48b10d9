import { Type } from 'typebox';
import { Currency, Timestamp } from '@tillstream/contracts';
import { DocumentId } from '../inventory/inventory.schemas.js';

/** The largest amount ERP takes on one document (a purchase order's or an invoice's value). */
const MAX_AMOUNT = 1e12;

const PositiveAmount = Type.Integer({
  minimum: 1,
  maximum: MAX_AMOUNT,
  description: 'Minor units of `currency`',
});

export const SupplierPaymentBody = Type.Object(
  {
    id: {
      ...DocumentId,
      description: 'Made by the caller: the same request again is answered, not paid twice',
    },
    supplierId: { ...DocumentId, description: "The supplier's id, as purchase orders name it" },
    currency: Currency,
    amount: PositiveAmount,
    paidAt: Type.Optional({ ...Timestamp, description: 'When the money left; now when left out' }),
    reference: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: "The bank transfer's or cheque's reference" }),
    ),
    allocations: Type.Optional(
      Type.Array(
        Type.Object(
          {
            invoiceId: { ...DocumentId, description: "A purchase order invoice's `invoiceId`" },
            amount: PositiveAmount,
          },
          { additionalProperties: false },
        ),
        {
          minItems: 1,
          maxItems: 500,
          description:
            'What it pays of which purchase order invoice; with `bills`, adding up to `amount`. Both left ' +
            'out: the oldest due invoices and bills first',
        },
      ),
    ),
    bills: Type.Optional(
      Type.Array(
        Type.Object(
          {
            billId: {
              ...DocumentId,
              description: "A supplier bill's `billId` (`POST /finance/supplier-bills`)",
            },
            amount: PositiveAmount,
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 500, description: 'What it pays of which supplier bill' },
      ),
    ),
  },
  { additionalProperties: false },
);

export const SupplierPaymentView = Type.Object({
  paymentId: Type.String(),
  supplierId: Type.String(),
  currency: Type.String(),
  amount: Type.Integer(),
  paidAt: Type.String(),
  reference: Type.Union([Type.String(), Type.Null()]),
  allocations: Type.Array(
    Type.Object({
      invoiceId: Type.String(),
      purchaseOrderId: Type.String(),
      supplierInvoiceNumber: Type.String(),
      amount: Type.Integer(),
      open: Type.Integer({ description: 'What the invoice had left to pay after this payment' }),
    }),
    { description: 'What went to purchase order invoices' },
  ),
  bills: Type.Array(
    Type.Object({
      billId: Type.String(),
      supplierInvoiceNumber: Type.String(),
      amount: Type.Integer(),
      open: Type.Integer({ description: 'What the bill had left to pay after this payment' }),
    }),
    { description: 'What went to supplier bills of goods received outside purchase orders' },
  ),
});

export const SupplierPaymentParams = Type.Object({ paymentId: DocumentId });

export const SupplierPaymentQuery = Type.Object(
  {
    supplierId: Type.Optional(DocumentId),
    from: Type.Optional({ ...Timestamp, description: 'Payments made at or after this instant' }),
    to: Type.Optional({ ...Timestamp, description: 'Payments made before this instant' }),
    after: Type.Optional({ ...DocumentId, description: "The previous page's `next`" }),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);

export const SupplierPaymentPage = Type.Object({
  payments: Type.Array(SupplierPaymentView),
  next: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as `after` for the next page; null on the last one',
  }),
});

const AsOf = Type.Optional({
  ...Timestamp,
  description:
    'Age as things stood at this instant: invoices dated and payments made before it. Left out: all of them, aged now',
});

export const PayablesQuery = Type.Object(
  { asOf: AsOf, currency: Type.Optional(Currency) },
  { additionalProperties: false },
);

export const SupplierPayablesQuery = Type.Object({ asOf: AsOf }, { additionalProperties: false });

export const SupplierParams = Type.Object({ supplierId: DocumentId });

const Buckets = Type.Object(
  {
    notDue: Type.Integer(),
    overdue1To30: Type.Integer(),
    overdue31To60: Type.Integer(),
    overdue61To90: Type.Integer(),
    overdueOver90: Type.Integer(),
  },
  { description: 'What is open by days past due (a started day counts), in minor units' },
);

export const PayablesView = Type.Object({
  asOf: Type.String(),
  currencies: Type.Array(
    Type.Object({
      currency: Type.String(),
      open: Type.Integer({ description: 'What is owed to suppliers: Σ over the open invoices and bills' }),
      buckets: Buckets,
      ledgerBalance: Type.Integer({
        description: 'Accounts payable (2000) in the journal over the same documents: credits less debits',
      }),
      reconciled: Type.Boolean({
        description:
          'open equals ledgerBalance. False for a moment after an invoice is matched, until the journal has posted it',
      }),
      suppliers: Type.Array(
        Type.Object({
          supplierId: Type.String(),
          supplierName: Type.Union([Type.String(), Type.Null()]),
          open: Type.Integer(),
          invoices: Type.Integer({ description: 'How many invoices and bills have something open' }),
          buckets: Buckets,
        }),
      ),
    }),
  ),
});

export const SupplierPayablesView = Type.Object({
  supplierId: Type.String(),
  asOf: Type.String(),
  invoices: Type.Array(
    Type.Object({
      invoiceId: Type.Union([Type.String(), Type.Null()], {
        description: "A purchase order invoice's id; null for a bill",
      }),
      billId: Type.Union([Type.String(), Type.Null()], {
        description: "A supplier bill's id; null for an invoice",
      }),
      purchaseOrderId: Type.Union([Type.String(), Type.Null()], { description: 'Null for a bill' }),
      supplierInvoiceNumber: Type.String(),
      currency: Type.String(),
      total: Type.Integer(),
      paid: Type.Integer(),
      open: Type.Integer(),
      invoicedAt: Type.String(),
      dueAt: Type.String(),
      daysOverdue: Type.Integer({ description: '0 until due, then every started day' }),
    }),
    { description: 'Open invoices and bills, oldest due first' },
  ),
});
