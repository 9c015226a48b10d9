import { Type, type Static } from 'typebox';
import { Currency, LocationId, ProductWeight, Sku } from './common.js';
import { Amount, audience, Priority, PricingId } from './pricing-common.js';

/**
 * What a line's price and tax are read from before any promotion: price lists, tax rates, and what pricing knows
 * of each product beyond the catalog.
 */

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
