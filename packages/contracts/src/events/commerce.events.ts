import { Type, type Static } from 'typebox';
import { defineEvent } from '../envelope.js';
import { Currency, MinorUnits, ShippingAddress, Sku, Timestamp } from '../common.js';
import { AppliedPromotion } from '../pricing.js';

const OrderLine = Type.Object({
  lineNo: Type.Integer({ minimum: 1 }),
  sku: Sku,
  quantity: Type.Integer({ minimum: 1 }),
  unitPrice: MinorUnits,
  /**
   * What the line costs the shopper, as the pricing engine quoted it: quantity × unitPrice − promotions, plus
   * any tax added on top of the price (the order's `total` is the sum of these).
   */
  lineTotal: MinorUnits,
  /** The promotions taken off the line, as the pricing engine applied them (added in v1, optional). */
  promotions: Type.Optional(Type.Array(AppliedPromotion, { maxItems: 20 })),
  /** The tax inside `lineTotal`: included in the price, or added on top (added in v1, optional). */
  tax: Type.Optional(
    Type.Object({
      ratePpm: Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Parts per million' }),
      inclusive: Type.Boolean({ description: 'Included in the price; false: added on top' }),
      amount: MinorUnits,
    }),
  ),
});

/** The delivery an online order was charged for, and where it goes. */
const OrderShipping = Type.Object({
  methodId: Type.String(),
  name: Type.String({ description: "The method's name when the order was placed" }),
  /** What the delivery costs the shopper, as the pricing engine quoted it: 0 once the goods reach its free-from. */
  amount: MinorUnits,
  tax: Type.Object({
    ratePpm: Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Parts per million' }),
    inclusive: Type.Boolean({ description: 'Included in the amount; false: added on top' }),
    amount: MinorUnits,
  }),
  /** Where the goods go: for a collection, the collection point's address with the collector's name and phone. */
  address: ShippingAddress,
  /**
   * Added in v1, optional: present when the shopper collects the order (click and collect). Every line was held
   * at this location, and the location hands the order over.
   */
  pickup: Type.Optional(
    Type.Object({ locationId: Type.String({ description: 'The ERP location the shopper collects at' }) }),
  ),
  /** The `free_shipping` promotion that waived the charge, with what it waived; absent when none did. */
  promotions: Type.Optional(Type.Array(AppliedPromotion, { maxItems: 1 })),
});

export const OrderPlacedV1 = defineEvent(
  'commerce.order.placed',
  1,
  'An online order was paid and placed. Its stock is already held in ERP by `reservationId`; ERP commits the ' +
    'hold and fulfils the order.',
  Type.Object({
    orderId: Type.String(),
    cartId: Type.String(),
    reservationId: Type.String({ description: 'The ERP reservation holding the units' }),
    channel: Type.String(),
    email: Type.String(),
    currency: Currency,
    lines: Type.Array(OrderLine),
    /** Added in v1, optional: absent for an order without delivery (placed before shipping existed). */
    shipping: Type.Optional(OrderShipping),
    total: Type.Integer({
      minimum: -1e12,
      maximum: 1e12,
      description: "The lines' `lineTotal`s plus the shipping's `amount`: what the shopper paid",
    }),
    payment: Type.Object({ method: Type.String(), reference: Type.String() }),
    placedAt: Timestamp,
  }),
);
export type OrderPlacedV1Data = Static<typeof OrderPlacedV1.dataSchema>;

export const OrderRefundedV1 = defineEvent(
  'commerce.order.refunded',
  1,
  'Money went back to the shopper through the payment provider: a cancel, a return or a goodwill refund. ' +
    '`refunded` is the order’s refunded total after this refund: the refunds that went through, counted in the ' +
    'order they did.',
  Type.Object({
    orderId: Type.String(),
    refundId: Type.String(),
    currency: Currency,
    amount: MinorUnits,
    shipping: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1e12,
        description:
          'Of `amount`, what gives back the delivery charge (0: goods only). Absent when the refund did not say ' +
          '(a goodwill refund that named no part, or one written before this field): read it as goods and ' +
          'delivery in proportion to what each holds.',
      }),
    ),
    refunded: MinorUnits,
    shippingRefunded: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1e12,
        description:
          'What the order’s refunds named of its delivery so far, this one included (the running total of ' +
          '`shipping`, an unnamed refund counting 0), so a consumer gives the delivery’s tax back at its own rate. ' +
          'Absent on refunds written before this field.',
      }),
    ),
    reason: Type.String(),
    returnId: Type.Union([Type.String(), Type.Null()]),
    payment: Type.Object({ method: Type.String(), reference: Type.String() }),
    refundedAt: Timestamp,
  }),
);
export type OrderRefundedV1Data = Static<typeof OrderRefundedV1.dataSchema>;

export const ReturnReceivedV1 = defineEvent(
  'commerce.return.received',
  1,
  'Units of a shipped online order came back. ERP books them by disposition (restock: on-hand; damaged: the ' +
    'damaged balance) at `locationId`, or, when it is null, at the location that shipped the order.',
  Type.Object({
    returnId: Type.String(),
    orderId: Type.String(),
    locationId: Type.Union([Type.String(), Type.Null()]),
    lines: Type.Array(
      Type.Object({
        sku: Sku,
        quantity: Type.Integer({ minimum: 1 }),
        disposition: Type.Union([Type.Literal('restock'), Type.Literal('damaged')]),
        value: Type.Optional(
          Type.Integer({
            minimum: 0,
            maximum: 1e12,
            description:
              'What the shopper paid for these units: their share of the order’s lines of the SKU (promotions and ' +
              'any tax included). The lines’ values add up to what the return refunds, unless goodwill refunds ' +
              'already paid some of it back. Absent on returns written before this field.',
          }),
        ),
        addedTax: Type.Optional(
          Type.Integer({
            minimum: 0,
            maximum: 1e12,
            description: 'Of `value`, the tax added on top of the price (0 where prices include it).',
          }),
        ),
      }),
    ),
    refund: Type.Object({ currency: Currency, amount: MinorUnits }),
    receivedAt: Timestamp,
  }),
);
export type ReturnReceivedV1Data = Static<typeof ReturnReceivedV1.dataSchema>;
