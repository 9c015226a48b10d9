import { ReturnCompletedV1, type CloudEvent, type ReturnCompletedV1Data } from '@tillstream/contracts';
import type { Clock, ConsumerSpec, Db } from '@tillstream/kernel';
import type { CatalogStore } from '../catalog/catalog.store.js';
import type { BackorderAllocator } from './backorder.allocate.js';
import { returnMovements } from './return.decide.js';
import type { StockStore } from './stock.store.js';

/**
 * A store return moves stock as POST /inventory/returns does (restock or damaged, per line), exactly once: the
 * inbox and the movements' unique ids guard a redelivery. Restocked units go to waiting backorders first.
 */
export function posReturnsConsumer(deps: {
  db: Db;
  clock: Clock;
  stock: StockStore;
  catalog: CatalogStore;
  allocator: BackorderAllocator;
}): ConsumerSpec {
  return {
    name: 'erp.pos-returns',
    db: deps.db,
    sources: ['pos'],
    types: [ReturnCompletedV1.type],
    async handle(event: CloudEvent, tx) {
      const data = event.data as ReturnCompletedV1Data;
      const skus = [...new Set(data.lines.map((line) => line.sku))];
      const products = new Map(
        (await deps.catalog.findProducts(tx, skus)).map((product) => [product.sku, product]),
      );
      const movements = returnMovements(
        {
          id: data.returnId,
          locationId: data.storeId,
          occurredAt: new Date(data.occurredAt).toISOString(),
          lines: data.lines.map((line) => ({
            sku: line.sku,
            quantity: line.quantity,
            disposition: line.disposition,
          })),
        },
        products,
      );
      await deps.stock.lock(tx, movements, movements);
      for (const movement of movements) await deps.stock.apply(tx, movement, { correlationId: event.id });
      await deps.allocator.allocate(
        tx,
        movements.filter((movement) => movement.change.onHand > 0),
        deps.clock.now().toISOString(),
      );
    },
  };
}
