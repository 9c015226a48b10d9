import { Type } from 'typebox';
import { Timestamp } from '@tillstream/contracts';
import { ORDER_STATUSES } from './order.decide.js';
import { ORDER_PAGE_DEFAULT, ORDER_PAGE_MAX, STATUS_LIST } from './order-list.decide.js';

// Closed to other parameters: a misspelt filter (`state=`) would otherwise list every order.
export const OrderListQuery = Type.Object(
  {
    status: Type.Optional(
      Type.String({
        pattern: STATUS_LIST,
        maxLength: 200,
        description:
          `Only orders in one of these statuses, comma-separated (\`placed,allocated\`): ${ORDER_STATUSES.join(', ')}. ` +
          'Not repeated: `status=a&status=b` is 400 `validation_failed`',
      }),
    ),
    email: Type.Optional(
      Type.String({
        minLength: 3,
        maxLength: 254,
        description: "Only the orders of this shopper's email, exactly but for the case of A–Z",
      }),
    ),
    from: Type.Optional({
      ...Timestamp,
      description: 'Only orders placed at or after this instant (RFC 3339)',
    }),
    to: Type.Optional({
      ...Timestamp,
      description:
        'Only orders placed before this instant (RFC 3339); not before `from` (422 `order_period_reversed`)',
    }),
    after: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: "The previous page's `next`, as given: opaque (400 `invalid_cursor` otherwise)",
      }),
    ),
    limit: Type.Integer({
      minimum: 1,
      maximum: ORDER_PAGE_MAX,
      default: ORDER_PAGE_DEFAULT,
      description: `Orders per page, 1–${ORDER_PAGE_MAX}`,
    }),
  },
  { additionalProperties: false },
);

export const OrderSummaryView = Type.Object({
  id: Type.String(),
  status: Type.Enum(ORDER_STATUSES),
  email: Type.String({ description: 'As the shopper gave it at checkout' }),
  channel: Type.String(),
  currency: Type.String(),
  total: Type.Integer({ description: 'What the shopper paid, in minor units' }),
  refunded: Type.Integer({ description: 'Minor units paid back so far (cancel, returns, goodwill)' }),
  shipping: Type.Union(
    [Type.Object({ methodId: Type.String(), name: Type.String(), amount: Type.Integer() }), Type.Null()],
    { description: 'The delivery charged (`amount`: part of `total`); null for an order placed without' },
  ),
  lineCount: Type.Integer({ description: 'Lines of the order' }),
  unitCount: Type.Integer({ description: 'Units over all lines' }),
  placedAt: Type.String(),
  updatedAt: Type.String({ description: 'When the status last changed' }),
});

export const OrderPage = Type.Object({
  orders: Type.Array(OrderSummaryView, {
    description: 'Newest first: by `placedAt`, then by id, descending',
  }),
  next: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as `after` for the next page; null on the last one',
  }),
});
