import { Type } from 'typebox';
import { Currency, LocationId, Sku, Timestamp } from '@tillstream/contracts';
import {
  Amount,
  CashRounding,
  CashRoundingRuleView,
  ClientId,
  ReceiptNo,
  Tender,
  TenderView,
  TerminalId,
} from '../pos.schemas.js';

const Disposition = Type.Union([Type.Literal('restock'), Type.Literal('damaged')], {
  description: '`restock`: back on the shelf; `damaged`: set aside, never sold',
});

export const ReturnBody = Type.Object(
  {
    id: ClientId,
    storeId: LocationId,
    terminalId: TerminalId,
    occurredAt: Timestamp,
    currency: Currency,
    originalSaleId: Type.Optional(
      Type.String({ format: 'uuid', description: 'The receipt: the sale returned from. Absent: no receipt' }),
    ),
    lines: Type.Array(
      Type.Object(
        {
          sku: Sku,
          quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
          disposition: Disposition,
          originalLineNo: Type.Optional(
            Type.Integer({ minimum: 1, description: 'With a receipt: the line returned' }),
          ),
          unitPrice: Type.Optional(
            Type.Integer({ ...Amount, description: 'Without a receipt: the refund per unit' }),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
    refunds: Type.Array(Tender, { minItems: 1, maxItems: 20 }),
    cashRounding: Type.Optional(CashRounding),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    shiftId: Type.Optional(Type.String({ format: 'uuid' })),
    receiptNo: Type.Optional(ReceiptNo),
  },
  { additionalProperties: false },
);

export const ReturnView = Type.Object({
  id: Type.String(),
  status: Type.Literal('completed'),
  storeId: Type.String(),
  terminalId: Type.String(),
  occurredAt: Type.String(),
  currency: Type.String(),
  originalSaleId: Type.Union([Type.String(), Type.Null()]),
  lines: Type.Array(
    Type.Object({
      lineNo: Type.Integer(),
      sku: Type.String(),
      quantity: Type.Integer(),
      unitPrice: Type.Integer(),
      lineTotal: Type.Integer(),
      disposition: Type.String(),
      originalLineNo: Type.Optional(Type.Integer()),
      tax: Type.Optional(Type.Integer({ description: 'Added tax refunded with the line' })),
      includedTax: Type.Optional(Type.Integer({ description: 'Tax inside the line’s refund' })),
      taxRatePpm: Type.Optional(Type.Integer({ description: 'The rate of the sold line’s tax' })),
    }),
  ),
  refunds: Type.Array(TenderView),
  total: Type.Integer({
    description: 'What the goods and their tax are worth; cash rounding does not change it',
  }),
  uncollected: Type.Optional(
    Type.Integer({
      description:
        "Not refunded: this return's share of what the sale's gift card or store credit never paid (its " +
        'shortfall). Refunds add up to total − uncollected (+ cashRounding). Absent when the sale was paid in full',
    }),
  ),
  cashRounding: Type.Optional(
    Type.Integer({
      description: 'The cash rounding: refunds add up to total (− uncollected) + cashRounding',
    }),
  ),
  cashRoundingRule: Type.Optional(CashRoundingRuleView),
  reason: Type.Optional(Type.String()),
  shiftId: Type.Optional(Type.String()),
  receiptNo: Type.Optional(Type.String()),
});

export const ReturnableView = Type.Object({
  saleId: Type.String(),
  currency: Type.String(),
  returnIds: Type.Array(Type.String(), {
    description:
      'The returns counted in `returned`: a terminal adds only its own returns not among them, so one that ' +
      'reached the server while the terminal was asking is not counted twice',
  }),
  lines: Type.Array(
    Type.Object({
      lineNo: Type.Integer(),
      sku: Type.String(),
      sold: Type.Integer(),
      returned: Type.Integer(),
      returnable: Type.Integer(),
      lineTotal: Type.Integer({ description: 'What was paid for the whole line, before added tax' }),
      tax: Type.Optional(Type.Integer({ description: 'Tax added to the whole line (tax-exclusive stores)' })),
      refundable: Type.Integer({
        description:
          'What returning every returnable unit of this line next refunds, with its tax, less its share of ' +
          '`uncollected`',
      }),
    }),
  ),
  uncollected: Type.Integer({
    description:
      "What the sale's gift card or store credit payments never collected (their shortfall, written off for " +
      'review); 0 when paid in full. A return refunds its value less its share of this: the value it takes ' +
      "back over the sale's total (Σ lineTotal + tax), counted from the first unit returned, rounded down",
  }),
});

export const NoReceiptPolicyView = Type.Object({
  allowed: Type.Boolean({ description: 'Whether the store takes goods back without a receipt at all' }),
  maxTotal: Type.Integer({ description: 'The most one such return may refund, in minor units' }),
  refundMethods: Type.Array(Type.String(), { description: 'How it may be refunded, e.g. `store_credit`' }),
});
