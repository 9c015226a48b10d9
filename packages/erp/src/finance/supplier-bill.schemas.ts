import { Type } from 'typebox';
import { Currency, LocationId, Timestamp } from '@tillstream/contracts';
import { DocumentId } from '../inventory/inventory.schemas.js';
import { SupplierInvoiceNumber } from '../inventory/purchase-order.schemas.js';
import { BILL_EXPENSE_ACCOUNTS } from './accounts.js';

/** A stock movement's id as the ledger names it (`adjustment/<id>`, a purchase order receipt's line, …). */
const MovementId = Type.String({ minLength: 1, maxLength: 300, description: "A stock movement's `id`" });

/**
 * An expense account's code. Listed, not an enum: a code outside the list is a 422
 * `bill_expense_account_invalid` naming the accepted ones, where an enum would be a bare 400 of the schema.
 */
const ExpenseAccount = Type.String({
  minLength: 1,
  maxLength: 20,
  description:
    'The expense account it is booked to, one of: ' +
    BILL_EXPENSE_ACCOUNTS.map((account) => `${account.code} (${account.name})`).join(', '),
  examples: BILL_EXPENSE_ACCOUNTS.map((account) => account.code),
});

const ExpenseLine = Type.Object(
  {
    account: ExpenseAccount,
    amount: Type.Integer({ minimum: 1, maximum: 1e12, description: 'In minor units, as billed' }),
    description: Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: '\\S',
      description: 'What it is for, as the bill says it (`Rent December, unit 4`)',
    }),
    locationId: Type.Optional({
      ...LocationId,
      description:
        "The store or warehouse it is for: its line is booked there, so that location's trial balance shows " +
        'it. Left out: the business as a whole',
    }),
  },
  { additionalProperties: false },
);

export const SupplierBillBody = Type.Object(
  {
    id: {
      ...DocumentId,
      description: 'Made by the caller: the same request again is answered, not billed twice',
    },
    supplierId: { ...DocumentId, description: "The supplier's id, as purchase orders and payments name it" },
    supplierName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    supplierInvoiceNumber: SupplierInvoiceNumber,
    currency: Currency,
    invoicedAt: Type.Optional({ ...Timestamp, description: "The bill's date; now when left out" }),
    dueAt: Type.Optional({
      ...Timestamp,
      description:
        'When it is to be paid, as printed on it; left out: its date plus the payment terms (net 30)',
    }),
    receipts: Type.Optional(
      Type.Array(MovementId, {
        maxItems: 500,
        description:
          'The receipts it bills: stock movements of goods received outside purchase orders, valued on 2310 ' +
          '(at 0 when their SKU had no cost; `GET /finance/unbilled-receipts` lists them). A bill has ' +
          'receipts, expenses or both',
      }),
    ),
    expenses: Type.Optional(
      Type.Array(ExpenseLine, {
        maxItems: 200,
        description:
          'What it bills besides goods (rent, energy, cleaning, freight, fees …), each at face value. On a bill ' +
          'of expenses only they add up to `total`; beside receipts they may not exceed it',
      }),
    ),
    total: Type.Integer({
      minimum: 1,
      maximum: 1e12,
      description: 'What the supplier bills, in minor units: goods and expenses',
    }),
  },
  { additionalProperties: false },
);

const BilledExpense = Type.Object({
  account: Type.String(),
  amount: Type.Integer(),
  description: Type.String(),
  locationId: Type.Union([Type.String(), Type.Null()], { description: 'Null: the business as a whole' }),
});

const BilledReceipt = Type.Object({
  movementId: Type.String(),
  sku: Type.String(),
  locationId: Type.String(),
  quantity: Type.Integer(),
  value: Type.Integer({ description: 'What the valuation credited 2310 for it (0: valued at nothing)' }),
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
    description: 'The one location all its goods and expenses are at; else null',
  }),
  receipts: Type.Array(BilledReceipt),
  expenses: Type.Array(BilledExpense, { description: 'In the order billed; empty on a bill of goods only' }),
  paid: Type.Integer({ description: 'What payments have paid of it so far' }),
  open: Type.Integer({ description: 'What is left to pay' }),
});

export const SupplierBillParams = Type.Object({ billId: DocumentId });

export const UnbilledReceiptsQuery = Type.Object(
  {
    currency: Type.Optional(Currency),
    locationId: Type.Optional(LocationId),
    after: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        description: "The previous page's `next`, as given: opaque (400 `invalid_cursor` otherwise)",
      }),
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
      occurredAt: Type.String({ description: 'When the goods came in (UTC)' }),
      currency: Type.String(),
      value: Type.Integer({ description: 'What it waits on 2310 at (0: valued at nothing)' }),
    }),
    { description: 'Oldest first: by `occurredAt`, then `movementId`' },
  ),
  next: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as `after` for the next page (opaque: its form may change); null on the last one',
  }),
});
