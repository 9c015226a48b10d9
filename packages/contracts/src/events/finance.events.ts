import { Type, type Static } from 'typebox';
import { defineEvent } from '../envelope.js';
import { Currency, LocationId, MinorUnits, Timestamp } from '../common.js';

/** Minor units of the event's currency, with what they are. */
const Amount = (description: string) => Type.Integer({ ...MinorUnits, description });

/** The goods of a store document at one tax rate, charged one way: what a VAT return reports of them. */
const BookedRate = Type.Object({
  ratePpm: Type.Union([Type.Integer({ minimum: 0, maximum: 1_000_000 }), Type.Null()], {
    description: 'Parts per million (21 % is 210000); null: no rate applies, or the till did not state it',
  }),
  charged: Type.Union([Type.Literal('included'), Type.Literal('added')], {
    description:
      '`added`: the till added the tax on top and its POS event states it (line `tax`); `included`: the tax ' +
      'ERP worked out inside the prices (0 where no rate applies)',
  }),
  net: Amount('What the goods sold for (a sale) or refunded (a return) without their tax'),
  tax: Amount('The tax on them: part of `included` or of `added`'),
});

export const SalesTaxBookedV1 = defineEvent(
  'erp.sales_tax.booked',
  1,
  "ERP's journal booked the sales tax of a store sale or return, in the transaction that posted its entry: " +
    'the tax included in shelf prices (ERP works it out from its own rates, whatever a till stated as ' +
    '`includedTax`: a difference is a price mismatch) and the tax the till added on top, apart. A sale owes it, a return gives it back; amounts are ' +
    'positive either way. Online orders state their tax themselves and have no such event.',
  Type.Object({
    kind: Type.Union([Type.Literal('sale'), Type.Literal('return')], {
      description: 'The store document booked: its journal entry has the same kind',
    }),
    documentId: Type.String({
      minLength: 1,
      description: "The POS sale's `saleId` or the return's `returnId`: the entry's `sourceId`",
    }),
    storeId: LocationId,
    occurredAt: Timestamp,
    currency: Currency,
    included: Amount(
      "Tax inside the lines' totals (tax-inclusive stores), as the journal took it out of revenue",
    ),
    added: Amount(
      "Tax the till added on top of the lines' totals (tax-exclusive stores), as the POS event states it",
    ),
    total: Amount('included + added: what the entry credits (a sale) or debits (a return) to sales tax'),
    rates: Type.Optional(
      Type.Array(BookedRate, {
        description:
          "The entry's goods and tax per rate and way of charging, as ERP's tax summary reports them: the " +
          'rates of `included` and of `added` add up to them. Added in v1, optional: absent on documents ' +
          'booked before (their split is not known)',
      }),
    ),
  }),
);
export type SalesTaxBookedV1Data = Static<typeof SalesTaxBookedV1.dataSchema>;

export const SupplierPaymentRecordedV1 = defineEvent(
  'erp.supplier_payment.recorded',
  1,
  'A payment to a supplier was recorded against the invoices it settles (`allocations`: each matched to a ' +
    'purchase order) and the bills of goods received outside purchase orders (`bills`): ERP owes the supplier ' +
    'that much less (2000) and the money left the bank (1050), in the transaction that posted its journal ' +
    'entry. Allocations and bills together add up to `amount`; none pays a document beyond what it had open.',
  Type.Object({
    paymentId: Type.String({ minLength: 1, description: 'The id the payment was recorded under' }),
    supplierId: Type.String({ minLength: 1 }),
    currency: Currency,
    amount: Amount('What was paid, more than 0'),
    paidAt: Timestamp,
    reference: Type.Union([Type.String(), Type.Null()], {
      description: "The bank transfer's or cheque's reference, as given",
    }),
    allocations: Type.Array(
      Type.Object({
        invoiceId: Type.String({
          description: "The invoice's id in ERP (a purchase order invoice's `invoiceId`)",
        }),
        purchaseOrderId: Type.String(),
        supplierInvoiceNumber: Type.String(),
        amount: Amount('What of the payment went to this invoice'),
        open: Amount('What the invoice still has open after this payment'),
      }),
      { description: 'What went to purchase order invoices; empty when the payment paid bills only' },
    ),
    bills: Type.Optional(
      Type.Array(
        Type.Object({
          billId: Type.String({ description: "The supplier bill's id (`erp.supplier_bill.recorded`)" }),
          supplierInvoiceNumber: Type.String(),
          amount: Amount('What of the payment went to this bill'),
          open: Amount('What the bill still has open after this payment'),
        }),
        {
          description:
            'What went to supplier bills of goods received outside purchase orders. Always sent since bills ' +
            'exist; payments recorded before have none',
        },
      ),
    ),
  }),
);
export type SupplierPaymentRecordedV1Data = Static<typeof SupplierPaymentRecordedV1.dataSchema>;

export const SupplierBillRecordedV1 = defineEvent(
  'erp.supplier_bill.recorded',
  1,
  "A supplier's bill for goods received outside purchase orders (direct store deliveries, items an order did " +
    'not list) and for expenses (rent, energy, cleaning …) was recorded, in the transaction that posted its ' +
    'journal entries: what those receipts came in at (`matched`) moved off 2310, each expense was debited as ' +
    'billed, the supplier is owed `total` (2000) and what the goods were billed beyond or below `matched` is ' +
    'purchase price variance (5200). Each receipt is billed once. A bill of expenses only has no receipts.',
  Type.Object({
    billId: Type.String({ minLength: 1, description: 'The id the bill was recorded under' }),
    supplierId: Type.String({ minLength: 1 }),
    supplierName: Type.Union([Type.String(), Type.Null()]),
    supplierInvoiceNumber: Type.String({ minLength: 1, description: "The number on the supplier's paper" }),
    currency: Currency,
    total: Amount('What the supplier bills'),
    matched: Amount('What the receipts were booked at on 2310: Σ receipts[].value'),
    invoicedAt: Timestamp,
    dueAt: Timestamp,
    locationId: Type.Union([LocationId, Type.Null()], {
      description: 'The one location all its goods and expenses are at; else null',
    }),
    receipts: Type.Array(
      Type.Object({
        movementId: Type.String({ minLength: 1, description: "The receipt's stock movement id" }),
        sku: Type.String(),
        locationId: LocationId,
        quantity: Type.Integer({ description: 'Units received' }),
        value: Amount('What the valuation credited 2310 for it'),
      }),
      {
        description:
          'The goods it billed. Empty on a bill of expenses only (since bills have `expenses`): never ' +
          'empty on one recorded before',
      },
    ),
    expenses: Type.Optional(
      Type.Array(
        Type.Object({
          account: Type.String({ minLength: 1, description: 'The expense account (6xxx) it was debited to' }),
          amount: Amount('As billed, more than 0'),
          description: Type.String({ description: 'What it is for, as the bill says' }),
          locationId: Type.Union([LocationId, Type.Null()], {
            description: "The location it was booked at (that location's journal entry); null: none",
          }),
        }),
        {
          description:
            'What it billed besides goods, in order. Always sent since bills have expenses (empty on a bill ' +
            'of goods only); bills recorded before have none',
        },
      ),
    ),
  }),
);
export type SupplierBillRecordedV1Data = Static<typeof SupplierBillRecordedV1.dataSchema>;
