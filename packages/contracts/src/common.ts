import { Type, type Static } from 'typebox';

export const Sku = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' });
export const LocationId = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
});
export const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' });
/** Integer minor units; the bound keeps sums far inside Number.MAX_SAFE_INTEGER. */
export const MinorUnits = Type.Integer({ minimum: -1e12, maximum: 1e12 });
export const Money = Type.Object(
  { amount: Type.Integer({ minimum: 0, maximum: 1e12 }), currency: Currency },
  { additionalProperties: false },
);
export const Timestamp = Type.String({ format: 'date-time' });
export const LocationKind = Type.Union([Type.Literal('store'), Type.Literal('warehouse')]);

/**
 * The rule a store document's cash rounding was checked against: the increment (minor units) it is exact for,
 * and whether that was the store's rule when the document arrived (false: one the store had before, which a
 * till that had not learned the change still used).
 */
export const CashRoundingRule = Type.Object({
  increment: Type.Integer({ minimum: 1 }),
  current: Type.Boolean(),
});

export const CountryCode = Type.String({
  pattern: '^[A-Z]{2}$',
  description: 'ISO 3166-1 alpha-2, e.g. NL',
  examples: ['NL'],
});

/** Where an online order goes: enough for a carrier's label. */
export const ShippingAddress = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    line2: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    postalCode: Type.String({ minLength: 1, maxLength: 20 }),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    region: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    country: CountryCode,
    phone: Type.Optional(Type.String({ minLength: 3, maxLength: 32, pattern: '^[+0-9 ()./-]+$' })),
  },
  { additionalProperties: false },
);
export type ShippingAddress = Static<typeof ShippingAddress>;

/** The address of a collection point, as the shopper is told where to go: a shipping address without a person. */
export const PickupAddress = Type.Omit(ShippingAddress, ['name', 'phone'], { additionalProperties: false });

/**
 * Click and collect: the shopper collects the order at one of the chain's locations instead of having it
 * delivered. Checkout holds every line there and only there, and the store hands it over
 * (`POST /erp/v1/fulfillments/{id}/collect`).
 */
export const PickupPoint = Type.Object(
  {
    locationId: { ...LocationId, description: 'The ERP location that holds the goods and hands them over' },
    address: { ...PickupAddress, description: 'Where the shopper collects, as they are told' },
  },
  { additionalProperties: false },
);
export type PickupPoint = Static<typeof PickupPoint>;

/** The heaviest parcel a weight can name, in grams: 1,000 kg, well past any carrier's parcel. */
export const MAX_PARCEL_GRAMS = 1_000_000;

/**
 * What a unit of a product weighs as delivery rates read it, packaging included, in grams. Products without
 * one weigh nothing for delivery.
 */
export const ProductWeight = Type.Integer({
  minimum: 0,
  maximum: MAX_PARCEL_GRAMS,
  description: 'What one unit weighs for delivery rates by weight, packaging included, in grams',
});
