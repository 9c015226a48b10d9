import { Type, type Static } from 'typebox';
import { defineEvent } from '../envelope.js';
import { CashRoundingRule, Currency, LocationId, MinorUnits, Sku, Timestamp } from '../common.js';

const ReturnLine = Type.Object({
  lineNo: Type.Integer({ minimum: 1 }),
  sku: Sku,
  quantity: Type.Integer({ minimum: 1 }),
  /** What one unit is refunded at, in minor units (the price paid, after the sale's discounts). */
  unitPrice: MinorUnits,
  lineTotal: MinorUnits,
  disposition: Type.Union([Type.Literal('restock'), Type.Literal('damaged')], {
    description: '`restock`: back on the shelf; `damaged`: set aside, never sellable',
  }),
  /** The line of the original sale it returns; absent for a return without a receipt. */
  originalLineNo: Type.Optional(Type.Integer({ minimum: 1 })),
  /** Added tax refunded with the line (its share of the sold line's tax), included in `total`. */
  tax: Type.Optional(MinorUnits),
  /**
   * Tax inside `lineTotal`: its share of the tax the sold line stated inside its price (added in v1, optional:
   * only where the sale stated one).
   */
  includedTax: Type.Optional(MinorUnits),
  /** The rate of the sold line's tax, added (`tax`) or included (`includedTax`); added in v1, optional. */
  taxRatePpm: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
});

export const ReturnCompletedV1 = defineEvent(
  'pos.return.completed',
  1,
  'Goods were taken back and refunded at a store terminal, against a receipt (`originalSaleId`) or without ' +
    'one (by the store policy). ERP restocks them or books them as damaged.',
  Type.Object({
    returnId: Type.String(),
    storeId: LocationId,
    terminalId: Type.String(),
    shiftId: Type.Optional(Type.String()),
    receiptNo: Type.Optional(Type.String()),
    occurredAt: Timestamp,
    currency: Currency,
    originalSaleId: Type.Union([Type.String(), Type.Null()]),
    lines: Type.Array(ReturnLine),
    refunds: Type.Array(
      Type.Object({ method: Type.String(), amount: MinorUnits, reference: Type.Optional(Type.String()) }),
    ),
    /** What the goods and their tax are worth. Cash rounding does not change it. */
    total: MinorUnits,
    /**
     * Not refunded (added in v1, optional: absent when the sale was paid in full): this return's share of what
     * the sale's gift card or store credit never paid, the shortfall written off when it arrived. The refunds
     * add up to `total` − this (+ `cashRounding`).
     */
    uncollected: Type.Optional(MinorUnits),
    /**
     * Cash rounding (added in v1, optional: absent when the cash refund was not rounded): what rounding the cash
     * refunded to the store's increment added (+: the store paid out more) or took off (−); the refunds add up
     * to `total` (− `uncollected`) + this.
     */
    cashRounding: Type.Optional(MinorUnits),
    /** The rule `cashRounding` was checked against (added in v1, optional: present with it). */
    cashRoundingRule: Type.Optional(CashRoundingRule),
    reason: Type.Optional(Type.String()),
  }),
);
export type ReturnCompletedV1Data = Static<typeof ReturnCompletedV1.dataSchema>;
