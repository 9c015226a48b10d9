import { Type, type Static, type TSchema } from 'typebox';
import { CountryCode, Currency, LocationId, PickupPoint, ProductWeight, Sku, Timestamp } from './common.js';

/**
 * The published language of pricing: price lists, promotions, tax rates, and the quote every channel gets back
 * (the versioned snapshot terminals price with offline is in pricing-snapshot.ts, shipping methods in
 * shipping.ts). The engine that reads them is @tillstream/pricing.
 */

/** Ids of price lists, promotions, tax rates, categories, customer groups and tax categories. */
export const PricingId = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
});
export const Channel = Type.String({
  minLength: 1,
  maxLength: 32,
  pattern: '^[a-z][a-z0-9_-]*$',
  description: 'Sales channel, e.g. `pos` or `web`',
});
export const CouponCode = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$',
  description: 'Compared case-insensitively',
});
/** Minor units, never negative. */
const Amount = Type.Integer({ minimum: 0, maximum: 1e12 });
const BasisPoints = Type.Integer({
  minimum: 1,
  maximum: 10_000,
  description: '1/100 of a percent: 1000 = 10 %',
});
const Priority = Type.Integer({
  minimum: -1_000_000,
  maximum: 1_000_000,
  description: 'Higher goes first; ties go to the smaller id',
});
const ClockTime = Type.String({
  pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$',
  description: 'HH:MM, local',
});
export const Filter = <T extends TSchema>(item: T, description: string) =>
  Type.Optional(Type.Array(item, { minItems: 1, maxItems: 100, uniqueItems: true, description }));

/**
 * A recurring window in local time, e.g. a weekday happy hour. `days` are ISO weekdays (1 = Monday). A slot
 * whose `to` is before its `from` runs past midnight into the next day. 24:00 ends a day: `to` may be 24:00,
 * `from` may not (refused).
 */
export const WeeklySchedule = Type.Object(
  {
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone, e.g. Europe/Amsterdam' }),
    slots: Type.Array(
      Type.Object(
        {
          days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
            minItems: 1,
            maxItems: 7,
            uniqueItems: true,
          }),
          from: ClockTime,
          to: ClockTime,
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
  },
  { additionalProperties: false },
);
export type WeeklySchedule = Static<typeof WeeklySchedule>;

/** Who and when: an absent filter matches everything; `startsAt` is inclusive and `endsAt` exclusive. */
const audience = {
  enabled: Type.Optional(Type.Boolean({ default: true })),
  channels: Filter(Channel, 'Channels it applies in'),
  storeIds: Filter(LocationId, 'Stores it applies in'),
  customerGroups: Filter(PricingId, 'It applies when the customer belongs to any of these groups'),
  startsAt: Type.Optional(Timestamp),
  endsAt: Type.Optional(Timestamp),
};

const priceListFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  currency: Currency,
  priority: Priority,
  ...audience,
  prices: Type.Array(
    Type.Object(
      {
        sku: Sku,
        amount: Amount,
        minQuantity: Type.Optional(
          Type.Integer({ minimum: 1, maximum: 100_000, description: 'Quantity tier; 1 when absent' }),
        ),
      },
      { additionalProperties: false },
    ),
    { minItems: 1, maxItems: 10_000 },
  ),
};

/** A price list as written: per channel, store, customer group, currency and time window, with tiers. */
export const PriceListBody = Type.Object(priceListFields, { additionalProperties: false });
export type PriceListBody = Static<typeof PriceListBody>;
export const PriceList = Type.Object({
  id: PricingId,
  version: Type.Integer({ minimum: 1 }),
  ...priceListFields,
});
export type PriceList = Static<typeof PriceList>;

/** A set of lines by SKU and/or category; an empty one is refused, since leaving it out says "every line". */
const lineSet = (description: string) =>
  Type.Object(
    {
      skus: Filter(Sku, 'Lines of these SKUs'),
      categories: Filter(PricingId, 'Lines of products in these categories'),
    },
    { additionalProperties: false, description },
  );

const Target = lineSet(
  'Which lines qualify; absent: every line. Names skus or categories (an empty target is refused)',
);

/** Effects on the lines: line effects come from the lines it targets; order effects are spread over them. */
const lineEffects = [
  Type.Object(
    { type: Type.Literal('percent_off_lines'), basisPoints: BasisPoints },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('amount_off_units'), amount: Amount }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('percent_off_order'), basisPoints: BasisPoints },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('amount_off_order'), amount: Amount }, { additionalProperties: false }),
  Type.Object(
    {
      type: Type.Literal('buy_x_get_y'),
      buyQuantity: Type.Integer({ minimum: 1, maximum: 1000 }),
      getQuantity: Type.Integer({ minimum: 1, maximum: 1000 }),
      basisPoints: Type.Integer({
        minimum: 1,
        maximum: 10_000,
        description: '10000 = the Y units are free',
      }),
      maxApplications: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
      getTarget: Type.Optional(
        lineSet(
          'Which lines the Y units are given from ("buy a shirt, get socks"); the promotion\'s target is then ' +
            'what must be bought. Absent: the same lines are bought and given. A unit counts once: a given ' +
            'unit does not count towards the X bought. Names skus or categories',
        ),
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('bundle_price'),
      items: Type.Array(
        Type.Object(
          { sku: Sku, quantity: Type.Integer({ minimum: 1, maximum: 1000 }) },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 20 },
      ),
      amount: Amount,
      maxApplications: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    },
    { additionalProperties: false },
  ),
] as const;

/** The effects `erp.promotion.changed` v1 knows: every one but `free_shipping` (which v2 added). */
export const PromotionEffectV1 = Type.Union([...lineEffects]);

/** What a promotion does: an effect on the lines, or `free_shipping`, which waives the delivery charge. */
export const PromotionEffect = Type.Union([
  ...lineEffects,
  Type.Object(
    {
      type: Type.Literal('free_shipping'),
      methodIds: Filter(PricingId, 'Only delivery by these methods is free; absent: any method'),
    },
    {
      additionalProperties: false,
      description:
        'Waives the delivery charge of a quote that prices delivery (a till never does). Tried after every ' +
        'promotion on the lines, whatever its priority, since the charge depends on what the goods come to; ' +
        'among themselves in stacking order, the first that applies waiving it all. `target` and `minSubtotal` ' +
        'say which goods must be in the cart',
    },
  ),
]);
export type PromotionEffect = Static<typeof PromotionEffect>;

const promotionFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  priority: Priority,
  stacking: Type.Union([Type.Literal('stackable'), Type.Literal('exclusive')], {
    description:
      'An exclusive promotion applies only if nothing applied before it, and then nothing after it',
  }),
  exclusiveGroup: Type.Optional(PricingId),
  currency: Type.Optional(Currency),
  couponCodes: Filter(CouponCode, 'When present, the promotion applies only with one of these codes'),
  ...audience,
  schedule: Type.Optional(WeeklySchedule),
  minSubtotal: Type.Optional(Amount),
  target: Type.Optional(Target),
  effect: PromotionEffect,
  limits: Type.Optional(
    Type.Object(
      {
        totalUses: Type.Optional(Type.Integer({ minimum: 1, maximum: 1e9 })),
        perCustomer: Type.Optional(Type.Integer({ minimum: 1, maximum: 1e6 })),
      },
      { additionalProperties: false },
    ),
  ),
};

export const PromotionBody = Type.Object(promotionFields, { additionalProperties: false });
export type PromotionBody = Static<typeof PromotionBody>;
export const Promotion = Type.Object({
  id: PricingId,
  version: Type.Integer({ minimum: 1 }),
  ...promotionFields,
});
export type Promotion = Static<typeof Promotion>;
/** A promotion as `erp.promotion.changed` v1 carries it: with an effect v1 knows. */
export const PromotionV1 = Type.Object({
  id: PricingId,
  version: Type.Integer({ minimum: 1 }),
  ...promotionFields,
  effect: PromotionEffectV1,
});

const taxRateFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  taxCategory: PricingId,
  locationId: Type.Optional(
    Type.Union([LocationId, Type.Null()], { description: 'Absent or null: everywhere' }),
  ),
  ratePpm: Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Parts per million: 21 % = 210000' }),
  inclusive: Type.Boolean({ description: 'Prices of this category at this location include the tax' }),
};
export const TaxRateBody = Type.Object(taxRateFields, { additionalProperties: false });
export type TaxRateBody = Static<typeof TaxRateBody>;
export const TaxRate = Type.Object({
  id: PricingId,
  version: Type.Integer({ minimum: 1 }),
  ...taxRateFields,
});
export type TaxRate = Static<typeof TaxRate>;

/** What pricing knows of a product beyond the catalog: its tax category and the categories promotions target. */
export const ProductPricingBody = Type.Object(
  {
    taxCategory: PricingId,
    categories: Type.Array(PricingId, { maxItems: 50, uniqueItems: true }),
    weightGrams: Type.Optional(ProductWeight),
  },
  { additionalProperties: false },
);
export type ProductPricingBody = Static<typeof ProductPricingBody>;
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
