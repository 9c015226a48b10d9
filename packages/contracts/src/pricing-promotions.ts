import { Type, type Static } from 'typebox';
import { Currency, Sku } from './common.js';
import { Amount, audience, CouponCode, Filter, Priority, PricingId } from './pricing-common.js';

/** Promotions: when they apply (audience, coupons, weekly schedule), to which lines, and what they take off. */

const BasisPoints = Type.Integer({
  minimum: 1,
  maximum: 10_000,
  description: '1/100 of a percent: 1000 = 10 %',
});
const ClockTime = Type.String({
  pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$',
  description: 'HH:MM, local',
});

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
