import { Type } from 'typebox';

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
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const CancelBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

export const OrderView = Type.Object({
  id: Type.String(),
  cartId: Type.String(),
  status: Type.String({ description: 'placed, allocated, shipped, delivered, cancelled or refunded' }),
  email: Type.String(),
  channel: Type.String(),
  currency: Type.String(),
  lines: Type.Array(
    Type.Object({
      lineNo: Type.Integer(),
      sku: Type.String(),
      quantity: Type.Integer(),
      unitPrice: Type.Integer(),
      lineTotal: Type.Integer(),
    }),
  ),
  total: Type.Integer(),
  payment: Type.Object({ method: Type.String(), reference: Type.String() }),
  reservationId: Type.String(),
  version: Type.Integer(),
  placedAt: Type.String(),
  updatedAt: Type.String(),
});
