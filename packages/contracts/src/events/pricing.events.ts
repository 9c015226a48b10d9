import { Type, type Static } from 'typebox';
import { defineEvent } from '../envelope.js';
import { Currency, LocationId, ProductWeight, Sku, Timestamp } from '../common.js';
import { PriceList, PricingId, Promotion, PromotionV1, TaxRate } from '../pricing.js';
import { ShippingMethod } from '../shipping.js';

const Change = Type.Union([Type.Literal('created'), Type.Literal('updated'), Type.Literal('deleted')]);
const Version = Type.Integer({ minimum: 1 });

export const PriceListChangedV1 = defineEvent(
  'erp.price_list.changed',
  1,
  'A price list was created, changed or deleted. `version` (also the envelope sequence) grows with every ' +
    'change; `priceList` is the new definition, null once deleted.',
  Type.Object({
    priceListId: PricingId,
    version: Version,
    change: Change,
    priceList: Type.Union([PriceList, Type.Null()]),
  }),
);
export type PriceListChangedV1Data = Static<typeof PriceListChangedV1.dataSchema>;

export const PromotionChangedV1 = defineEvent(
  'erp.promotion.changed',
  1,
  'A promotion was created, changed or deleted. `version` (also the envelope sequence) grows with every ' +
    'change; `promotion` is the new definition, null once deleted. Published beside v2 for every change whose ' +
    'promotion v1 can state: a `free_shipping` promotion is in v2 only.',
  Type.Object({
    promotionId: PricingId,
    version: Version,
    change: Change,
    promotion: Type.Union([PromotionV1, Type.Null()]),
  }),
);
export type PromotionChangedV1Data = Static<typeof PromotionChangedV1.dataSchema>;

export const PromotionChangedV2 = defineEvent(
  'erp.promotion.changed',
  2,
  'A promotion was created, changed or deleted, as v1 says, with every effect, `free_shipping` included. ' +
    'Every change is published in v2, and in v1 too (same subject and sequence) while v1 can state it.',
  Type.Object({
    promotionId: PricingId,
    version: Version,
    change: Change,
    promotion: Type.Union([Promotion, Type.Null()]),
  }),
);
export type PromotionChangedV2Data = Static<typeof PromotionChangedV2.dataSchema>;

export const TaxRateChangedV1 = defineEvent(
  'erp.tax_rate.changed',
  1,
  'A tax rate was created, changed or deleted; `taxRate` is null once deleted.',
  Type.Object({
    taxRateId: PricingId,
    version: Version,
    change: Change,
    taxRate: Type.Union([TaxRate, Type.Null()]),
  }),
);
export type TaxRateChangedV1Data = Static<typeof TaxRateChangedV1.dataSchema>;

export const ShippingMethodChangedV1 = defineEvent(
  'erp.shipping_method.changed',
  1,
  'A shipping method was created, changed or deleted; `shippingMethod` is null once deleted.',
  Type.Object({
    shippingMethodId: PricingId,
    version: Version,
    change: Change,
    shippingMethod: Type.Union([ShippingMethod, Type.Null()]),
  }),
);
export type ShippingMethodChangedV1Data = Static<typeof ShippingMethodChangedV1.dataSchema>;

export const ProductPricingChangedV1 = defineEvent(
  'erp.product_pricing.changed',
  1,
  "A product's tax category, promotion categories or weight for delivery changed.",
  Type.Object({
    sku: Sku,
    version: Version,
    taxCategory: PricingId,
    categories: Type.Array(PricingId),
    weightGrams: Type.Optional(
      Type.Union([ProductWeight, Type.Null()], {
        description:
          'Null: no weight (the product weighs nothing for delivery). Absent in events from before.',
      }),
    ),
  }),
);
export type ProductPricingChangedV1Data = Static<typeof ProductPricingChangedV1.dataSchema>;

export const PromotionUsageChangedV1 = defineEvent(
  'erp.promotion_usage.changed',
  1,
  'A sale or order consumed a use of a limited promotion, or a cancelled order gave one back. `version` ' +
    '(also the envelope sequence) grows with every change of this promotion’s usage.',
  Type.Object({
    promotionId: PricingId,
    version: Version,
    change: Type.Union([Type.Literal('redeemed'), Type.Literal('released')]),
    redemptionId: Type.String({ description: 'The sale or order that consumed it' }),
    customerId: Type.Union([Type.String(), Type.Null()]),
    used: Type.Integer({ minimum: 0 }),
    limit: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  }),
);
export type PromotionUsageChangedV1Data = Static<typeof PromotionUsageChangedV1.dataSchema>;

const LineTax = Type.Object({
  ratePpm: Type.Integer({ description: 'Parts per million: 8 % is 80000' }),
  amount: Type.Integer(),
});

export const PriceMismatchDetectedV1 = defineEvent(
  'erp.price.mismatch_detected',
  1,
  'ERP priced a store sale again on arrival and got another answer than the terminal, or the sale used up a ' +
    'promotion past its limit. The sale stands; the mismatch is for review.',
  Type.Object({
    mismatchId: Type.String(),
    saleId: Type.String(),
    storeId: LocationId,
    terminalId: Type.String(),
    occurredAt: Timestamp,
    currency: Currency,
    reason: Type.Union([
      Type.Literal('price_differs'),
      Type.Literal('stale_snapshot'),
      Type.Literal('usage_limit_exceeded'),
      Type.Literal('unpriceable'),
      Type.Literal('tax_differs'),
    ]),
    saleSnapshotVersion: Type.Union([Type.Integer(), Type.Null()]),
    referenceSnapshotVersion: Type.Union([Type.Integer(), Type.Null()]),
    expectedTotal: Type.Union([Type.Integer(), Type.Null()], {
      description:
        "What ERP's pricing says the sale totals, tax added on top included (comparable with actualTotal); " +
        'null when it was not priced',
    }),
    actualTotal: Type.Integer({ description: "The sale's own total, tax added on top included" }),
    lines: Type.Array(
      Type.Object({
        lineNo: Type.Integer(),
        sku: Sku,
        quantity: Type.Integer(),
        expectedUnitPrice: Type.Integer(),
        actualUnitPrice: Type.Integer(),
        expectedLineTotal: Type.Integer(),
        actualLineTotal: Type.Integer(),
        /** Tax added on top of the line as ERP priced it; on `tax_differs` lines only. */
        expectedTax: Type.Optional(LineTax),
        /** Tax the sale added on top of the line (none: rate and amount 0); on `tax_differs` lines only. */
        actualTax: Type.Optional(LineTax),
        /** Tax inside the line's price as ERP priced it; on `tax_differs` lines where ERP's rate includes it. */
        expectedIncludedTax: Type.Optional(LineTax),
        /** Tax the sale stated inside the line's price; on `tax_differs` lines whose sale stated one. */
        actualIncludedTax: Type.Optional(LineTax),
      }),
      { description: 'Only the lines that differ' },
    ),
    promotionIds: Type.Array(Type.String(), { description: 'Promotions used past their limit' }),
  }),
);
export type PriceMismatchDetectedV1Data = Static<typeof PriceMismatchDetectedV1.dataSchema>;
