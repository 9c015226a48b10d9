import { Type, type Static, type TSchema } from 'typebox';
import { Money, ProductWeight, Sku, Timestamp } from './common.js';
import { PriceList, PricingId, Promotion, TaxRate } from './pricing.js';
import { ShippingMethod } from './shipping.js';

/**
 * The versioned bundle terminals and the storefront price with offline, and what changed between two versions.
 */

export const SnapshotProduct = Type.Object({
  sku: Sku,
  price: Money,
  taxCategory: PricingId,
  categories: Type.Array(PricingId),
  weightGrams: Type.Optional(ProductWeight),
});
export type SnapshotProduct = Static<typeof SnapshotProduct>;

/**
 * Everything the engine needs, as one immutable, versioned bundle: the same version always has the same
 * content, so a sale that names its version can be priced again exactly.
 */
export const PricingSnapshot = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  createdAt: Timestamp,
  products: Type.Array(SnapshotProduct),
  priceLists: Type.Array(PriceList),
  promotions: Type.Array(Promotion),
  taxRates: Type.Array(TaxRate),
  shippingMethods: Type.Optional(
    Type.Array(ShippingMethod, {
      description:
        'Delivery methods the storefront offers; absent when there are none (and before they existed)',
    }),
  ),
  exhaustedPromotionIds: Type.Optional(
    Type.Array(PricingId, {
      description:
        'Limited promotions with no use left in total when the version was minted: quotes on the snapshot ' +
        'leave them out and report their coupons `exhausted`. A use taken or given back that changes this ' +
        'set mints a new version. Absent in snapshots minted before usage was carried.',
    }),
  ),
});
export type PricingSnapshot = Static<typeof PricingSnapshot>;

const changes = <T extends TSchema, K extends TSchema>(item: T, key: K, what: string, description?: string) =>
  Type.Object(
    {
      upserted: Type.Array(item, { description: `${what} new or changed since the base version, whole` }),
      removed: Type.Array(key, { description: `Keys of ${what} the base version had and this one has not` }),
    },
    description ? { description } : {},
  );

/**
 * What changed between two minted snapshots: applied to the base version (`applySnapshotDelta` in
 * @tillstream/pricing) it gives the newer one, so a terminal or storefront holding a version need not download
 * the whole catalog again for one price change. Products are keyed by `sku`, the rest by `id`.
 */
export const PricingSnapshotDelta = Type.Object({
  baseVersion: Type.Integer({ minimum: 1, description: 'The version this delta applies to' }),
  version: Type.Integer({ minimum: 1, description: 'The version applying it gives' }),
  createdAt: Timestamp,
  products: changes(SnapshotProduct, Sku, 'products'),
  priceLists: changes(PriceList, PricingId, 'price lists'),
  promotions: changes(Promotion, PricingId, 'promotions'),
  taxRates: changes(TaxRate, PricingId, 'tax rates'),
  shippingMethods: Type.Optional(
    changes(ShippingMethod, PricingId, 'shipping methods', 'Absent: the same as in the base version'),
  ),
  exhaustedPromotionIds: Type.Optional(
    Type.Array(PricingId, {
      description: "The newer version's whole set (it is small); absent if it has none",
    }),
  ),
});
export type PricingSnapshotDelta = Static<typeof PricingSnapshotDelta>;

/** The query of a delta read, at ERP and at POS. Versions fit PostgreSQL's integer column they are kept in. */
export const PricingSnapshotDeltaQuery = Type.Object(
  {
    since: Type.Integer({
      minimum: 1,
      maximum: 2_147_483_647,
      description: 'The version held: the delta leads from it to the current one',
    }),
  },
  { additionalProperties: false },
);
