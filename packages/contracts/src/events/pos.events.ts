import { Type, type Static } from 'typebox';
import { defineEvent } from '../envelope.js';
import { CashRoundingRule, Currency, LocationId, MinorUnits, Sku, Timestamp } from '../common.js';
import { AppliedPromotion, CouponCode, PricingId } from '../pricing.js';

const LineTax = Type.Object({
  ratePpm: Type.Integer({
    minimum: 0,
    maximum: 1_000_000,
    description: 'Parts per million: 21 % is 210000',
  }),
  amount: MinorUnits,
});

const SaleLine = Type.Object({
  lineNo: Type.Integer({ minimum: 1 }),
  sku: Sku,
  quantity: Type.Integer({ minimum: 1 }),
  unitPrice: MinorUnits,
  /** Promotions taken off the line; lineTotal = quantity × unitPrice − discount. Absent: none. */
  discount: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e12 })),
  /** Which promotions gave `discount`, their amounts adding up to it (added in v1, optional: older tills omit it). */
  promotions: Type.Optional(Type.Array(AppliedPromotion, { maxItems: 20 })),
  lineTotal: MinorUnits,
  /** Tax added on top of `lineTotal` in a store whose prices exclude tax; absent where prices include it. */
  tax: Type.Optional(LineTax),
  /**
   * Tax already inside `lineTotal` in a store whose prices include it, as the receipt stated it (added in v1,
   * optional: older tills omit it, and a line with `tax` has none).
   */
  includedTax: Type.Optional(LineTax),
});

/** What the terminal priced the sale with, so ERP can price it again and count the promotions it used. */
export const SalePricing = Type.Object(
  {
    snapshotVersion: Type.Optional(Type.Integer({ minimum: 1, description: 'The pricing snapshot used' })),
    couponCodes: Type.Optional(Type.Array(CouponCode, { maxItems: 10 })),
    customerId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    customerGroups: Type.Optional(Type.Array(PricingId, { maxItems: 20, uniqueItems: true })),
  },
  { additionalProperties: false },
);

export const SaleCompletedV1 = defineEvent(
  'pos.sale.completed',
  1,
  'A sale was rung up and paid at a store terminal. ERP turns it into stock movements and revenue.',
  Type.Object({
    saleId: Type.String(),
    storeId: LocationId,
    terminalId: Type.String(),
    occurredAt: Timestamp,
    currency: Currency,
    lines: Type.Array(SaleLine),
    payments: Type.Array(
      Type.Object({
        method: Type.String(),
        amount: MinorUnits,
        /** Cash handed over; the change given back is tendered − amount. */
        tendered: Type.Optional(MinorUnits),
        /** Card authorisation, gift card or store credit number. */
        reference: Type.Optional(Type.String()),
        /** Gift card or store credit held online before the sale completed (POST /stored-value/…/redemptions). */
        redemptionId: Type.Optional(Type.String()),
        /** A card payment the terminal authorised offline, under its floor limit. */
        offline: Type.Optional(Type.Boolean()),
      }),
    ),
    /** Tax added to the lines' totals (tax-exclusive stores); `total` = Σ lineTotal + tax. Absent: none added. */
    tax: Type.Optional(MinorUnits),
    /** The goods and their tax. Cash rounding does not change it. */
    total: MinorUnits,
    /**
     * Cash rounding (added in v1, optional: absent when the cash was not rounded): what rounding the cash due to
     * the store's increment added (+) or took off (−); the payments add up to `total` + this. Neither revenue
     * nor tax: ERP books it apart.
     */
    cashRounding: Type.Optional(MinorUnits),
    /** The rule `cashRounding` was checked against (added in v1, optional: present with it). */
    cashRoundingRule: Type.Optional(CashRoundingRule),
    pricing: Type.Optional(SalePricing),
    /** The terminal shift it was rung in (added in v1, optional): it stays there even if it arrives late. */
    shiftId: Type.Optional(Type.String()),
    /** `<terminalId>-<shift seq>-<n>`, made on the terminal: unique without coordination. */
    receiptNo: Type.Optional(Type.String()),
  }),
);
export type SaleCompletedV1Data = Static<typeof SaleCompletedV1.dataSchema>;
