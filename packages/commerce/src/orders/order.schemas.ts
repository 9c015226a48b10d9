import { Type } from 'typebox';
import { AppliedPromotion, LocationId, ShippingAddress, Sku, Timestamp } from '@tillstream/contracts';
import { ORDER_STATUSES } from './order.decide.js';

export const OrderParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$' }),
});

export const CheckoutBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' }),
    payment: Type.Object(
      {
        method: Type.String({ minLength: 1, maxLength: 32, pattern: '^[a-z][a-z0-9_-]*$' }),
        outcome: Type.Optional(
          Type.Union([Type.Literal('approve'), Type.Literal('decline'), Type.Literal('timeout')], {
            description: 'Test provider only: what it answers (default approve)',
          }),
        ),
        delayMs: Type.Optional(
          Type.Integer({
            minimum: 0,
            maximum: 30_000,
            description:
              'Test provider only: answer this late (a slow provider; the hold may expire meanwhile)',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    expectedTotal: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1e12,
        description:
          'The total the shopper was shown and agreed to pay, in minor units (the cart quote’s `totals.total`). ' +
          'If pricing changed since and the total is now another, checkout charges nothing and answers 409 ' +
          '`cart_total_changed` with the new `total`. Left out, the total at checkout is charged.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const CancelBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]*$' });

export const RefundBody = Type.Object(
  {
    id: { ...Id, description: 'Your id for this refund: repeating it never refunds twice' },
    amount: Type.Integer({ minimum: 1, maximum: 1e12, description: 'Minor units' }),
    reason: Type.String({ minLength: 1, maxLength: 200 }),
    shipping: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1e12,
        description:
          'Of `amount`, what gives back the delivery charge (0: goods only), so the books return it from ' +
          'shipping income rather than sales. Without it the refund is read as goods and delivery in ' +
          'proportion.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const RefundView = Type.Object({
  id: Type.String(),
  orderId: Type.String(),
  amount: Type.Integer(),
  shipping: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Of `amount`, the delivery given back; null when the refund did not say',
  }),
  reason: Type.String(),
  returnId: Type.Union([Type.String(), Type.Null()]),
  status: Type.String({ description: 'pending (with the provider), succeeded or failed' }),
  reference: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const ReturnBody = Type.Object(
  {
    id: Type.Optional({
      ...Id,
      description:
        'Your id for this return: repeating it never books or refunds twice. Without one an id is generated; ' +
        'if the refund then fails (503 `refund_failed`), the problem names it (`returnId`, `refundId`): ' +
        'repeat the same body with `id: returnId` to retry the refund',
    }),
    locationId: Type.Optional({
      ...LocationId,
      description: 'Where the units came back; default: the location that shipped the order',
    }),
    lines: Type.Array(
      Type.Object(
        {
          sku: Sku,
          quantity: Type.Integer({ minimum: 1, maximum: 10_000 }),
          disposition: Type.Union([Type.Literal('restock'), Type.Literal('damaged')]),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);

export const ReturnView = Type.Object({
  id: Type.String(),
  orderId: Type.String(),
  locationId: Type.Union([Type.String(), Type.Null()]),
  lines: Type.Array(
    Type.Object({ sku: Type.String(), quantity: Type.Integer(), disposition: Type.String() }),
  ),
  refundAmount: Type.Integer({ description: 'The returned units’ share of what was paid, in minor units' }),
  receivedAt: Type.String(),
  refund: Type.Union([
    Type.Object({
      id: Type.String(),
      amount: Type.Integer(),
      status: Type.String(),
      reference: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
});

export const OrderView = Type.Object({
  id: Type.String(),
  cartId: Type.String(),
  status: Type.Enum(ORDER_STATUSES, {
    description:
      'placed → allocated → partially_shipped (some fulfilments left, others wait) → shipped → delivered; ' +
      'a collection (click and collect) is ready_for_pickup after allocated while it waits at the store; ' +
      'cancelled before anything shipped; refunded once paid back in full after cancel or delivery',
  }),
  cancellation: Type.Union([Type.Object({ reason: Type.String(), at: Timestamp }), Type.Null()], {
    description:
      'Why and when it was cancelled, as the cancel said (the collection sweeper: `not collected within N ' +
      'days`); null until then, and for orders cancelled before this was kept',
  }),
  email: Type.String(),
  channel: Type.String(),
  currency: Type.String(),
  lines: Type.Array(
    Type.Object({
      lineNo: Type.Integer(),
      sku: Type.String(),
      quantity: Type.Integer(),
      unitPrice: Type.Integer(),
      lineTotal: Type.Integer({
        description: 'What the line cost: quantity × unitPrice − promotions, plus any tax added on top',
      }),
      promotions: Type.Optional(
        Type.Array(AppliedPromotion, {
          description: 'The promotions taken off the line, as quoted at checkout (absent on older orders)',
        }),
      ),
      tax: Type.Optional(
        Type.Object(
          { ratePpm: Type.Integer(), inclusive: Type.Boolean(), amount: Type.Integer() },
          {
            description:
              'The tax inside `lineTotal`, included in the price or added on top, for the receipt (absent on ' +
              'older orders)',
          },
        ),
      ),
      backordered: Type.Integer({ description: 'Units waiting for stock in ERP; allocated once it arrives' }),
      returned: Type.Integer({ description: 'Units that came back' }),
    }),
  ),
  shipping: Type.Union(
    [
      Type.Object({
        methodId: Type.String(),
        name: Type.String({ description: "The method's name when the order was placed" }),
        amount: Type.Integer({
          description: 'What the shopper paid for delivery, tax added on top included; 0 once free',
        }),
        tax: Type.Object({ ratePpm: Type.Integer(), inclusive: Type.Boolean(), amount: Type.Integer() }),
        address: ShippingAddress,
        pickup: Type.Optional(
          Type.Object(
            { locationId: Type.String() },
            {
              description:
                'For a collection (click and collect): the location the shopper collects at; `address` is then ' +
                'its address with the collector’s name and phone',
            },
          ),
        ),
        promotions: Type.Optional(
          Type.Array(AppliedPromotion, {
            description: 'The free-shipping promotion that waived the charge, with what it waived',
          }),
        ),
      }),
      Type.Null(),
    ],
    { description: 'The delivery charged and where it goes; null for an order placed without' },
  ),
  total: Type.Integer({
    description: "What the shopper paid: the lines' `lineTotal`s plus `shipping.amount`",
  }),
  refunded: Type.Integer({ description: 'Minor units paid back so far (cancel, returns, goodwill)' }),
  payment: Type.Object({ method: Type.String(), reference: Type.String() }),
  reservationId: Type.String(),
  version: Type.Integer(),
  placedAt: Type.String(),
  updatedAt: Type.String(),
});
