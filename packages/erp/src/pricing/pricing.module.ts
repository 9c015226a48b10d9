import {
  PriceList,
  PriceListBody,
  Promotion,
  PromotionBody,
  ShippingMethod,
  ShippingMethodBody,
  TaxRate,
  TaxRateBody,
  type PriceList as PriceListType,
  type PriceListBody as PriceListBodyType,
  type Promotion as PromotionType,
  type PromotionBody as PromotionBodyType,
  type ShippingMethod as ShippingMethodType,
  type ShippingMethodBody as ShippingMethodBodyType,
  type TaxRate as TaxRateType,
  type TaxRateBody as TaxRateBodyType,
} from '@tillstream/contracts';
import {
  conflict,
  unprocessable,
  type ContextDeps,
  type ConsumerSpec,
  type Migration,
} from '@tillstream/kernel';
import type { FastifyPluginAsync } from 'fastify';
import {
  priceListNotFound,
  promotionNotFound,
  shippingMethodNotFound,
  taxRateNotFound,
} from './definition.decide.js';
import { definitionRoutes } from './definition.routes.js';
import { normalizePriceList } from './price-list.decide.js';
import { pricingMigrations } from './pricing.migrations.js';
import { createPricingSource, type PricingSource } from './pricing.source.js';
import { createPricingStores } from './pricing.stores.js';
import { productPricingRoutes } from './product-pricing.routes.js';
import { normalizePromotion } from './promotion.decide.js';
import { createMismatchStore } from './mismatch.store.js';
import { mismatchRoutes } from './mismatch.routes.js';
import { quoteRoutes } from './quote.routes.js';
import { createRedemptionStore } from './redemption.store.js';
import { redemptionRoutes } from './redemption.routes.js';
import { salePricingConsumer } from './sale-pricing.consumer.js';
import { normalizeShippingMethod } from './shipping-method.decide.js';
import { createSnapshotPruner } from './snapshot.pruner.js';
import { normalizeTaxRate } from './tax-rate.decide.js';

export interface PricingModule {
  migrations: readonly Migration[];
  routes: FastifyPluginAsync;
  consumers: ConsumerSpec[];
  /** Live and minted pricing, for ERP's other modules that need a rate or a price. */
  source: PricingSource;
  /** Starts and stops the hourly pruning of superseded snapshots. */
  start(): void;
  stop(): Promise<void>;
}

/**
 * ERP's pricing: price lists, promotions, tax rates, shipping methods and product pricing attributes (each
 * change versioned and published), quotes, the versioned snapshot terminals price with offline, atomic
 * redemption of limited promotions, and the consumer that prices arriving store sales again. Builds nothing but
 * closures: no I/O here.
 */
export function pricingModule(
  deps: ContextDeps & {
    /** How long a snapshot stays once a newer one replaced it; 0 keeps them all. */
    snapshotRetentionHours: number;
  },
): PricingModule {
  const { db, clock } = deps;
  const stores = createPricingStores(deps);
  const source = createPricingSource({ db, clock, stores });
  const redemptions = createRedemptionStore(deps);
  const mismatches = createMismatchStore();
  const pruner = createSnapshotPruner({
    db,
    clock,
    logger: deps.logger,
    retentionHours: deps.snapshotRetentionHours,
  });
  return {
    migrations: pricingMigrations,
    routes: async (app) => {
      await app.register(
        definitionRoutes<PriceListType, PriceListBodyType>(
          {
            path: '/price-lists',
            noun: 'price list',
            body: PriceListBody,
            view: PriceList,
            store: stores.priceLists,
            normalize: normalizePriceList,
            missing: priceListNotFound,
          },
          { db, clock },
        ),
      );
      await app.register(
        definitionRoutes<PromotionType, PromotionBodyType>(
          {
            path: '/promotions',
            noun: 'promotion',
            body: PromotionBody,
            view: Promotion,
            store: stores.promotions,
            normalize: normalizePromotion,
            missing: promotionNotFound,
          },
          { db, clock },
        ),
      );
      await app.register(
        definitionRoutes<TaxRateType, TaxRateBodyType>(
          {
            path: '/tax-rates',
            noun: 'tax rate',
            body: TaxRateBody,
            view: TaxRate,
            store: stores.taxRates,
            normalize: normalizeTaxRate,
            missing: taxRateNotFound,
            async check(tx, rate) {
              const [other] = await tx.query<{ id: string }>(
                `SELECT id FROM tax_rates
                 WHERE tax_category = $1 AND location_key = $2 AND deleted_at IS NULL AND id <> $3`,
                [rate.taxCategory, rate.locationId ?? '*', rate.id],
              );
              if (other)
                throw conflict(
                  'tax_rate_conflict',
                  `Tax rate ${other.id} already covers this category and location`,
                  {
                    taxRateId: other.id,
                  },
                );
            },
          },
          { db, clock },
        ),
      );
      await app.register(
        definitionRoutes<ShippingMethodType, ShippingMethodBodyType>(
          {
            path: '/shipping-methods',
            noun: 'shipping method',
            body: ShippingMethodBody,
            view: ShippingMethod,
            store: stores.shippingMethods,
            normalize: normalizeShippingMethod,
            missing: shippingMethodNotFound,
            // A collection at a location ERP does not know would fail every checkout that chose it.
            async check(tx, method) {
              if (!method.pickup) return;
              const [known] = await tx.query<{ found: number }>(
                'SELECT 1 AS found FROM locations WHERE location_id = $1',
                [method.pickup.locationId],
              );
              if (!known)
                throw unprocessable(
                  'unknown_location',
                  `Shipping method ${method.id} is collected at ${method.pickup.locationId}, no location here`,
                  { locationId: method.pickup.locationId },
                );
            },
          },
          { db, clock },
        ),
      );
      await app.register(productPricingRoutes({ db, clock, stores }));
      await app.register(quoteRoutes({ db, clock, source }));
      await app.register(mismatchRoutes({ db, clock, mismatches }));
      await app.register(redemptionRoutes({ db, clock, source, redemptions }));
    },
    consumers: [salePricingConsumer({ ...deps, source, redemptions, mismatches })],
    source,
    start: pruner.start,
    stop: pruner.stop,
  };
}
