import {
  PriceListChangedV1,
  ProductPricingChangedV1,
  PromotionChangedV1,
  PromotionChangedV2,
  ShippingMethodChangedV1,
  TaxRateChangedV1,
  type PriceList,
  type ProductPricingBody,
  type Promotion,
  type ShippingMethod,
  type TaxRate,
} from '@tillstream/contracts';
import { conflict, type Db, type Outbox, type Tx } from '@tillstream/kernel';
import type { Change } from './definition.decide.js';
import { bumpPricingRevision, createDefinitionStore } from './definition.store.js';

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

/** A promotion owns its coupon codes (unique across promotions) and the row that counts its uses. */
async function savePromotionSideTables(tx: Tx, promotion: Promotion, change: Change): Promise<void> {
  await tx.execute('DELETE FROM promotion_codes WHERE promotion_id = $1', [promotion.id]);
  if (change === 'deleted') return;
  for (const code of promotion.couponCodes ?? []) {
    const claimed = await tx.execute(
      'INSERT INTO promotion_codes (code, promotion_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [code, promotion.id],
    );
    if (claimed === 0)
      throw conflict('coupon_code_taken', `Coupon code ${code} belongs to another promotion`, {
        couponCode: code,
      });
  }
  await tx.execute(
    `INSERT INTO promotion_usage (promotion_id, used, usage_limit, per_customer_limit, version)
     VALUES ($1, 0, $2, $3, 0)
     ON CONFLICT (promotion_id) DO UPDATE SET
       usage_limit = excluded.usage_limit, per_customer_limit = excluded.per_customer_limit`,
    [promotion.id, promotion.limits?.totalUses ?? null, promotion.limits?.perCustomer ?? null],
  );
}

export interface ProductPricing extends Omit<ProductPricingBody, 'weightGrams'> {
  sku: string;
  /** Null: the product has no weight, and weighs nothing for delivery. */
  weightGrams: number | null;
  version: number;
}

export function createPricingStores(deps: { outbox: Outbox }) {
  const priceLists = createDefinitionStore<PriceList>(
    {
      kind: 'price_list',
      table: 'price_lists',
      contract: PriceListChangedV1,
      subject: (id) => `price-list/${id}`,
      eventData: (priceListId, version, change, priceList) => ({ priceListId, version, change, priceList }),
    },
    deps,
  );
  const promotions = createDefinitionStore<Promotion>(
    {
      kind: 'promotion',
      table: 'promotions',
      contract: PromotionChangedV2,
      // v1 cannot state a free-shipping promotion; its consumers see every other change as before.
      olderContract: {
        contract: PromotionChangedV1,
        states: (promotion) => promotion === null || promotion.effect.type !== 'free_shipping',
      },
      subject: (id) => `promotion/${id}`,
      eventData: (promotionId, version, change, promotion) => ({ promotionId, version, change, promotion }),
      afterSave: savePromotionSideTables,
    },
    deps,
  );
  const taxRates = createDefinitionStore<TaxRate>(
    {
      kind: 'tax_rate',
      table: 'tax_rates',
      contract: TaxRateChangedV1,
      subject: (id) => `tax-rate/${id}`,
      eventData: (taxRateId, version, change, taxRate) => ({ taxRateId, version, change, taxRate }),
      columns: (rate) => ({ tax_category: rate.taxCategory, location_key: rate.locationId ?? '*' }),
    },
    deps,
  );
  const shippingMethods = createDefinitionStore<ShippingMethod>(
    {
      kind: 'shipping_method',
      table: 'shipping_methods',
      contract: ShippingMethodChangedV1,
      subject: (id) => `shipping-method/${id}`,
      eventData: (shippingMethodId, version, change, shippingMethod) => ({
        shippingMethodId,
        version,
        change,
        shippingMethod,
      }),
    },
    deps,
  );

  const productPricing = {
    async find(reader: Reader, sku: string): Promise<ProductPricing | null> {
      const [row] = await reader.query<{
        tax_category: string;
        categories: string;
        weight_grams: number | string | null;
        version: number | string;
      }>('SELECT tax_category, categories, weight_grams, version FROM product_pricing WHERE sku = $1', [sku]);
      return row
        ? {
            sku,
            taxCategory: row.tax_category,
            categories: JSON.parse(row.categories) as string[],
            weightGrams: row.weight_grams === null ? null : Number(row.weight_grams),
            version: Number(row.version),
          }
        : null;
    },
    async save(tx: Tx, state: ProductPricing, at: string): Promise<void> {
      const written =
        state.version === 1
          ? await tx.execute(
              `INSERT INTO product_pricing (sku, tax_category, categories, version, updated_at, weight_grams)
               VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
              [
                state.sku,
                state.taxCategory,
                JSON.stringify(state.categories),
                state.version,
                at,
                state.weightGrams,
              ],
            )
          : await tx.execute(
              `UPDATE product_pricing SET tax_category = $2, categories = $3, version = $4, updated_at = $5,
                 weight_grams = $7
               WHERE sku = $1 AND version = $6`,
              [
                state.sku,
                state.taxCategory,
                JSON.stringify(state.categories),
                state.version,
                at,
                state.version - 1,
                state.weightGrams,
              ],
            );
      if (written === 0)
        throw conflict(
          'concurrent_modification',
          `Pricing of ${state.sku} changed meanwhile; read it and retry`,
        );
      await bumpPricingRevision(tx, at);
      await deps.outbox.append(tx, [
        {
          contract: ProductPricingChangedV1,
          subject: `product-pricing/${state.sku}`,
          sequence: state.version,
          data: state,
        },
      ]);
    },
  };

  return { priceLists, promotions, taxRates, shippingMethods, productPricing };
}

export type PricingStores = ReturnType<typeof createPricingStores>;
