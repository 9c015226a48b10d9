import { Type, type Static } from 'typebox';
import { CountryCode, Currency, MAX_PARCEL_GRAMS, PickupPoint } from './common.js';
import { Channel, Filter, PricingId } from './pricing.js';

/**
 * The published language of delivery: shipping methods, their rates per currency (by the goods' weight and free
 * from a goods net) and the postcodes they reach. What a quote makes of them is `QuoteShipping` in pricing.ts.
 */

/** The start of the postcodes a rule names, as the shopper writes them ("1791", "8899 A"): letters, digits, spaces. */
const PostcodePrefix = Type.String({ minLength: 1, maxLength: 12, pattern: '^[A-Za-z0-9][A-Za-z0-9 -]*$' });

/** Where in one country a method delivers, by the start of the postcode. */
const PostcodeRule = Type.Object(
  {
    country: CountryCode,
    include: Type.Optional(
      Type.Array(PostcodePrefix, {
        minItems: 1,
        maxItems: 500,
        description:
          'Only postcodes starting with one of these (e.g. the Wadden islands for an island service)',
      }),
    ),
    exclude: Type.Optional(
      Type.Array(PostcodePrefix, {
        minItems: 1,
        maxItems: 500,
        description:
          'Never postcodes starting with one of these (e.g. islands a mainland service does not reach)',
      }),
    ),
  },
  { additionalProperties: false },
);

const shippingMethodFields = {
  name: Type.String({
    minLength: 1,
    maxLength: 200,
    description: 'What the shopper sees, e.g. "Standard, 2–3 days"',
  }),
  enabled: Type.Optional(Type.Boolean({ default: true })),
  channels: Filter(Channel, 'Channels that offer it; absent: every channel'),
  countries: Filter(CountryCode, 'Destinations it delivers to; absent: everywhere'),
  postcodes: Type.Optional(
    Type.Array(PostcodeRule, {
      minItems: 1,
      maxItems: 50,
      description:
        'Within a country, the postcodes it reaches or not, by their start (compared in capitals, spaces and ' +
        'dashes left out); a country without a rule is reached everywhere. One rule per country',
    }),
  ),
  rates: Type.Array(
    Type.Object(
      {
        currency: Currency,
        amount: Type.Integer({ minimum: 0, maximum: 1e9, description: 'The charge, in minor units' }),
        freeFrom: Type.Optional(
          Type.Integer({
            minimum: 0,
            maximum: 1e12,
            description:
              "Free when the goods' net (the quote's `totals.net`: after promotions, before added tax) is at " +
              'least this',
          }),
        ),
        byWeight: Type.Optional(
          Type.Array(
            Type.Object(
              {
                fromGrams: Type.Integer({ minimum: 1, maximum: MAX_PARCEL_GRAMS }),
                amount: Type.Integer({ minimum: 0, maximum: 1e9 }),
              },
              { additionalProperties: false },
            ),
            {
              minItems: 1,
              maxItems: 20,
              description:
                'Charges by the weight of the goods (their products’ `weightGrams` times the units): from ' +
                '`fromGrams` on, `amount` instead of the rate’s, the heaviest band reached applying. Ascending ' +
                'by `fromGrams`. Lighter goods pay the rate’s `amount`; `freeFrom` waives whichever applies',
            },
          ),
        ),
        maxGrams: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: MAX_PARCEL_GRAMS,
            description:
              'The heaviest goods it takes: heavier ones are not delivered by this method, unless ' +
              '`splitParcels` lets them go as several parcels',
          }),
        ),
        splitParcels: Type.Optional(
          Type.Boolean({
            description:
              'Goods heavier than `maxGrams` go as several parcels instead of not at all: packed heaviest ' +
              'units first, none heavier than `maxGrams`, each charged as goods of its own weight (the rate’s ' +
              '`amount` or the band its weight reaches) and the charges summed. Still not delivered: a single ' +
              'unit heavier than `maxGrams`, or goods that need more than 100 parcels. `freeFrom` waives the ' +
              'whole charge. Needs `maxGrams` (422 `shipping_parcel_split_invalid`); stored only when true',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    {
      minItems: 1,
      maxItems: 50,
      description: 'One per currency it is charged in (a second of one currency is refused)',
    },
  ),
  pickup: Type.Optional({
    ...PickupPoint,
    description:
      'A collection method: the shopper collects at this location instead of giving a delivery address. It ' +
      'is offered whatever country the shopper is in, so it has no `countries` or `postcodes` (422 ' +
      '`shipping_pickup_has_destinations`)',
  }),
  taxCategory: PricingId,
};
/**
 * A way to deliver an online order and what it costs: per currency, optionally by the goods' weight and free
 * above a goods net.
 */
export const ShippingMethodBody = Type.Object(shippingMethodFields, { additionalProperties: false });
export type ShippingMethodBody = Static<typeof ShippingMethodBody>;
export const ShippingMethod = Type.Object({
  id: PricingId,
  version: Type.Integer({ minimum: 1 }),
  ...shippingMethodFields,
});
export type ShippingMethod = Static<typeof ShippingMethod>;
