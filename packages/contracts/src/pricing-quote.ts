import { Type, type Static } from 'typebox';
import { CountryCode, Currency, LocationId, PickupPoint, Sku, Timestamp } from './common.js';
import { Channel, CouponCode, PricingId } from './pricing-common.js';

/** A quote: what a channel asks the engine to price, and the priced lines, promotions and delivery it gets back. */

/** The engine's inputs. `at` is the instant priced at: time windows and schedules are read against it. */
export const QuoteRequest = Type.Object(
  {
    channel: Channel,
    currency: Currency,
    storeId: Type.Optional(LocationId),
    customerId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    customerGroups: Type.Optional(Type.Array(PricingId, { maxItems: 20, uniqueItems: true })),
    couponCodes: Type.Optional(Type.Array(CouponCode, { maxItems: 10 })),
    at: Type.Optional(Timestamp),
    shipping: Type.Optional(
      Type.Object(
        {
          methodId: PricingId,
          country: CountryCode,
          postalCode: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 20,
              description: 'Checked against the method’s `postcodes` rules; without it they are not checked',
            }),
          ),
        },
        { additionalProperties: false, description: 'Price delivery by this method to this destination too' },
      ),
    ),
    lines: Type.Array(
      Type.Object(
        { sku: Sku, quantity: Type.Integer({ minimum: 1, maximum: 100_000 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);
export type QuoteRequest = Static<typeof QuoteRequest>;

/**
 * A promotion's share of a sold line's discount, as the pricing engine explained it: a sale or order line
 * lists one per promotion applied, their amounts adding up to the line's discount. Analytics counts them.
 */
export const AppliedPromotion = Type.Object(
  {
    promotionId: PricingId,
    amount: Type.Integer({ minimum: 0, maximum: 1e12, description: 'Minor units this promotion took off' }),
  },
  { additionalProperties: false },
);
export type AppliedPromotion = Static<typeof AppliedPromotion>;

const Adjustment = Type.Object({
  promotionId: Type.String(),
  promotionVersion: Type.Integer(),
  name: Type.String(),
  type: Type.String({ description: 'The effect type, e.g. buy_x_get_y' }),
  couponCode: Type.Optional(Type.String()),
  amount: Type.Integer({ description: 'Minor units taken off this line' }),
  reason: Type.String(),
});

export const QuoteLine = Type.Object({
  lineNo: Type.Integer(),
  sku: Type.String(),
  quantity: Type.Integer(),
  basePrice: Type.Integer({ description: "The product's own price per unit" }),
  unitPrice: Type.Integer({ description: 'Per unit after price lists, before promotions' }),
  priceSource: Type.Object({
    kind: Type.Union([Type.Literal('base'), Type.Literal('price_list')]),
    priceListId: Type.Optional(Type.String()),
    priceListVersion: Type.Optional(Type.Integer()),
    minQuantity: Type.Optional(Type.Integer()),
  }),
  grossAmount: Type.Integer({ description: 'unitPrice × quantity' }),
  adjustments: Type.Array(Adjustment),
  discountAmount: Type.Integer(),
  netAmount: Type.Integer({
    description: 'grossAmount − discountAmount; what the line sells for, before added tax',
  }),
  tax: Type.Object({
    rateId: Type.Union([Type.String(), Type.Null()]),
    taxCategory: Type.String(),
    ratePpm: Type.Integer(),
    inclusive: Type.Boolean(),
    amount: Type.Integer(),
  }),
  total: Type.Integer({ description: 'netAmount, plus tax when the tax is not included' }),
});
export type QuoteLine = Static<typeof QuoteLine>;

export const CouponStatus = Type.Union([
  Type.Literal('applied'),
  Type.Literal('unknown'),
  Type.Literal('not_applicable'),
  Type.Literal('not_combinable'),
  Type.Literal('exhausted'),
]);
export type CouponStatus = Static<typeof CouponStatus>;

/** What delivery costs, priced like a line: the method's rate (waived above its `freeFrom`), then its tax. */
export const QuoteShipping = Type.Object({
  methodId: Type.String(),
  methodVersion: Type.Integer(),
  name: Type.String(),
  country: Type.String(),
  amount: Type.Integer({
    description:
      "The method's charge in the quote's currency: its rate's, or the weight band's the goods reach; for " +
      'goods split into `parcels`, the sum of the parcels’ charges',
  }),
  freeFrom: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The goods net it is free from, if any',
  }),
  discountAmount: Type.Integer({ description: 'The rate waived: all of it once the goods reach `freeFrom`' }),
  netAmount: Type.Integer({ description: 'amount − discountAmount, before added tax' }),
  tax: QuoteLine.properties.tax,
  total: Type.Integer({ description: 'netAmount, plus tax when the tax is not included' }),
  promotionId: Type.Optional(
    Type.String({ description: 'The `free_shipping` promotion that waived the charge, if one did' }),
  ),
  weightGrams: Type.Optional(
    Type.Integer({
      description: 'The goods’ weight the charge was read for; present when the rate goes by weight',
    }),
  ),
  parcels: Type.Optional(
    Type.Integer({
      minimum: 2,
      description:
        'How many parcels the goods go in, each charged by its own weight; present only when the rate split ' +
        'goods heavier than its `maxGrams` (`splitParcels`). `weightGrams` stays the weight of all of them',
    }),
  ),
  pickup: Type.Optional({
    ...PickupPoint,
    description: 'Where the shopper collects the order, for a collection method (click and collect)',
  }),
});
export type QuoteShipping = Static<typeof QuoteShipping>;

export const Quote = Type.Object({
  snapshotVersion: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The snapshot priced with; null when ERP priced with its live data',
  }),
  at: Type.String(),
  channel: Type.String(),
  currency: Type.String(),
  storeId: Type.Union([Type.String(), Type.Null()]),
  lines: Type.Array(QuoteLine),
  promotions: Type.Array(
    Type.Object({
      promotionId: Type.String(),
      promotionVersion: Type.Integer(),
      name: Type.String(),
      type: Type.String(),
      couponCode: Type.Optional(Type.String()),
      amount: Type.Integer(),
      limited: Type.Boolean({ description: 'It has a usage limit: consuming it must be redeemed' }),
    }),
    { description: 'Applied promotions in the order they applied' },
  ),
  coupons: Type.Array(
    Type.Object({ code: Type.String(), status: CouponStatus, promotionId: Type.Optional(Type.String()) }),
  ),
  shipping: Type.Optional(QuoteShipping),
  totals: Type.Object({
    subtotal: Type.Integer({ description: "The lines' gross" }),
    discount: Type.Integer({ description: 'The promotions taken off the lines' }),
    net: Type.Integer({ description: "The lines' net: subtotal − discount, before added tax" }),
    shipping: Type.Optional(
      Type.Integer({ description: "The shipping's net, before added tax; present when shipping was quoted" }),
    ),
    tax: Type.Integer({ description: 'All tax, the shipping’s included' }),
    total: Type.Integer({ description: 'What the shopper pays: lines and shipping, with their tax' }),
  }),
});
export type Quote = Static<typeof Quote>;
