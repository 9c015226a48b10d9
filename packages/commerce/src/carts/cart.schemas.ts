import { Type } from 'typebox';
import {
  CountryCode,
  CouponCode,
  Currency,
  LocationId,
  PricingId,
  Quote,
  QuoteShipping,
  ShippingAddress,
  Sku,
} from '@tillstream/contracts';

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

export const ShippingChoiceBody = Type.Object(
  {
    methodId: { ...PricingId, description: 'A method of `GET /carts/{id}/shipping-options`' },
    address: Type.Optional({
      ...ShippingAddress,
      description:
        'Where the order goes; its `country` is the one priced. Required for a method that delivers (422 ' +
        '`shipping_address_required`), refused for a collection (422 `shipping_choice_invalid`)',
    }),
    collector: Type.Optional(
      Type.Object(
        { name: ShippingAddress.properties.name, phone: ShippingAddress.properties.phone },
        {
          additionalProperties: false,
          description:
            'Who collects the order, for a collection method (an option with `pickup`; 422 ' +
            '`shipping_collector_required` without it): the order goes to the collection point',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

// Closed to other parameters, like every query of the API: a misspelt `contry=` is 400, not a guess.
export const ShippingOptionsQuery = Type.Object(
  {
    country: { ...CountryCode, description: 'Where the order would go: ISO 3166-1 alpha-2, e.g. NL' },
    postalCode: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 20,
        description: 'Its postcode, once known: methods that do not reach it are left out',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ShippingOptionsView = Type.Object({
  country: Type.String(),
  postalCode: Type.Optional(Type.String()),
  currency: Type.String(),
  options: Type.Array(QuoteShipping, {
    description:
      "Methods that deliver there in the cart's currency, priced for its goods (free once they reach a " +
      "method's `freeFrom`), cheapest first; empty when none does",
  }),
});

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
  shipping: Type.Union(
    [
      Type.Object({
        methodId: Type.String(),
        address: ShippingAddress,
        pickupLocationId: Type.Optional({
          ...LocationId,
          description:
            'For a collection: the location that holds and hands over the goods; `address` is then its ' +
            'address with the collector’s name and phone',
        }),
      }),
      Type.Null(),
    ],
    {
      description:
        'The delivery chosen (`PUT /carts/{id}/shipping`); null until then. Kept when the cart empties',
    },
  ),
  shippingRefused: Type.Union([Type.Object({ code: Type.String() }), Type.Null()], {
    description:
      'The engine no longer prices the chosen delivery (`shipping_method_unknown`: ERP withdrew the method; ' +
      '`shipping_not_available`: it no longer delivers there in this currency, or not goods this heavy): the ' +
      'quote leaves it out and ' +
      'checkout refuses with this code until the shopper chooses again. Null otherwise',
  }),
  version: Type.Integer(),
  updatedAt: Type.String(),
  quote: Type.Union([Quote, Type.Null()], {
    description: 'Live price of the cart by the pricing engine; null when the cart is empty',
  }),
});
