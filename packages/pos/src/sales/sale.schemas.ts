import { Type } from 'typebox';
import { AppliedPromotion, Currency, LocationId, SalePricing, Sku, Timestamp } from '@tillstream/contracts';
import {
  Amount,
  CashRounding,
  CashRoundingRuleView,
  IncludedLineTax,
  LineTax,
  ReceiptNo,
  Tender,
  TenderView,
  TerminalId,
} from '../pos.schemas.js';

export const SaleBody = Type.Object(
  {
    id: Type.String({
      format: 'uuid',
      description: 'Client-made UUID (v7 recommended); the sale is stored under it',
    }),
    storeId: LocationId,
    terminalId: TerminalId,
    occurredAt: Timestamp,
    currency: Currency,
    lines: Type.Array(
      Type.Object(
        {
          sku: Sku,
          quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
          unitPrice: Amount,
          discount: Type.Optional(Amount),
          promotions: Type.Optional(
            Type.Array(AppliedPromotion, {
              maxItems: 20,
              description:
                'Which promotions gave `discount`, their amounts adding up to it (analytics counts them)',
            }),
          ),
          tax: Type.Optional(LineTax),
          includedTax: Type.Optional(IncludedLineTax),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
    payments: Type.Array(Tender, { minItems: 1, maxItems: 20 }),
    cashRounding: Type.Optional(CashRounding),
    pricing: Type.Optional(SalePricing),
    shiftId: Type.Optional(Type.String({ format: 'uuid', description: 'The shift it was rung in' })),
    receiptNo: Type.Optional(ReceiptNo),
  },
  { additionalProperties: false },
);

export const SaleView = Type.Object({
  id: Type.String(),
  status: Type.Literal('completed'),
  storeId: Type.String(),
  terminalId: Type.String(),
  occurredAt: Type.String(),
  currency: Type.String(),
  lines: Type.Array(
    Type.Object({
      lineNo: Type.Integer(),
      sku: Type.String(),
      quantity: Type.Integer(),
      unitPrice: Type.Integer(),
      discount: Type.Optional(Type.Integer()),
      promotions: Type.Optional(Type.Array(AppliedPromotion)),
      lineTotal: Type.Integer(),
      tax: Type.Optional(LineTax),
      includedTax: Type.Optional(IncludedLineTax),
    }),
  ),
  payments: Type.Array(TenderView),
  tax: Type.Optional(Type.Integer({ description: 'Tax added to the lines; total = Σ lineTotal + tax' })),
  total: Type.Integer({ description: 'The goods and their tax; cash rounding does not change it' }),
  cashRounding: Type.Optional(
    Type.Integer({ description: 'The cash rounding: payments add up to total + cashRounding' }),
  ),
  cashRoundingRule: Type.Optional(CashRoundingRuleView),
  pricing: Type.Optional(SalePricing),
  shiftId: Type.Optional(Type.String()),
  receiptNo: Type.Optional(Type.String()),
});
