import {
  ProductUpsertedV1,
  StockChangedV1,
  type CloudEvent,
  type ProductUpsertedV1Data,
  type StockChangedV1Data,
} from '@tillstream/contracts';
import type { ConsumerSpec, Db } from '@tillstream/kernel';

/**
 * The storefront's read model, fed by ERP events. Each upsert applies only when the event's per-key version
 * is newer than the row's, so redelivered or reordered events can never move availability backwards.
 */
export function catalogProjection(db: Db): ConsumerSpec {
  return {
    name: 'commerce.catalog',
    db,
    sources: ['erp'],
    types: [ProductUpsertedV1.type, StockChangedV1.type],
    async handle(event: CloudEvent, tx) {
      if (event.type === ProductUpsertedV1.type) {
        const product = event.data as ProductUpsertedV1Data;
        await tx.execute(
          `INSERT INTO catalog_products (sku, name, price_amount, currency, kind, backorderable, version)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (sku) DO UPDATE SET name = excluded.name, price_amount = excluded.price_amount,
             currency = excluded.currency, kind = excluded.kind, backorderable = excluded.backorderable,
             version = excluded.version
           WHERE catalog_products.version < excluded.version`,
          [
            product.sku,
            product.name,
            product.price.amount,
            product.price.currency,
            product.kind,
            product.backorderable ? 1 : 0,
            product.version,
          ],
        );
        return;
      }
      const stock = event.data as StockChangedV1Data;
      await tx.execute(
        `INSERT INTO stock_levels (sku, location_id, available, version) VALUES ($1, $2, $3, $4)
         ON CONFLICT (sku, location_id) DO UPDATE SET available = excluded.available, version = excluded.version
         WHERE stock_levels.version < excluded.version`,
        [stock.sku, stock.locationId, stock.available, stock.version],
      );
    },
  };
}
