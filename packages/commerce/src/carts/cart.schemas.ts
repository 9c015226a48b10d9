import { Type } from 'typebox';
import { Currency, Quote, Sku } from '@tillstream/contracts';
import { CouponCode } from '@tillstream/contracts';

export const CartId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$' });
export const CartParams = Type.Object({ id: CartId });
export const CartLineParams = Type.Object({ id: CartId, sku: Sku });
export const CartCouponParams = Type.Object({ id: CartId, code: CouponCode });

const Quantity = Type.Integer({ minimum: 1, maximum: 10_000 });

/**
 * The public cart's body: `channel` may only name a channel the storefront sells on (its price lists, and
 * ERP's locations and safety stock for the holds), never another channel's (staff prices, store shelves).
 */
export const createCartBody = (channels: readonly [string, ...string[]]) =>
  Type.Union([
    Type.Object(
      {
        currency: Type.Optional(Currency),
        channel: Type.Optional(
          Type.Union(
            channels.map((channel) => Type.Literal(channel)),
            { default: channels[0], description: 'A channel this storefront sells on' },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    Type.Null(),
  ]);

export const AddLineBody = Type.Object({ sku: Sku, quantity: Quantity }, { additionalProperties: false });
export const SetLineBody = Type.Object(
  { quantity: Type.Integer({ minimum: 0, maximum: 10_000, description: '0 removes the line' }) },
  { additionalProperties: false },
);
export const CouponBody = Type.Object({ code: CouponCode }, { additionalProperties: false });

export const CartView = Type.Object({
  id: Type.String(),
  channel: Type.String(),
  currency: Type.String(),
  status: Type.Union(
    [Type.Literal('open'), Type.Literal('checking_out'), Type.Literal('ordered'), Type.Literal('expired')],
    {
      description:
        '`expired`: abandoned past the cart expiry; it refuses changes and checkout (409 `cart_expired`)',
    },
  ),
  lines: Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer() })),
  couponCodes: Type.Array(Type.String()),
  version: Type.Integer(),
  updatedAt: Type.String(),
  quote: Type.Union([Quote, Type.Null()], {
    description: 'Live price of the cart by the pricing engine; null when the cart is empty',
  }),
});
