import { unprocessable, type Clock, type Tx } from '@tillstream/kernel';
import type { CatalogStore } from '../catalog/catalog.store.js';
import type { BackorderAllocator } from './backorder.allocate.js';
import { returnMovements, type ReturnCommand } from './return.decide.js';
import type { StockStore } from './stock.store.js';

export interface ReturnBookingDeps {
  clock: Clock;
  stock: StockStore;
  catalog: CatalogStore;
  allocator: BackorderAllocator;
}

/**
 * Books a return in the caller's transaction, whichever channel it came through (a store's POS, an online
 * order): restocked or damaged units per line, kits as their components; restocked units go to waiting
 * backorders first. The movements' ids derive from the return's id, so a redelivery cannot book it twice.
 * A location ERP does not know is refused (422 `unknown_location`): stock is never booked where no location
 * exists; a consumer's event then fails and dead-letters for review.
 */
export async function bookReturn(tx: Tx, deps: ReturnBookingDeps, command: ReturnCommand): Promise<void> {
  if (!(await deps.catalog.findLocation(tx, command.locationId)))
    throw unprocessable('unknown_location', `No location ${command.locationId}`, {
      locations: [command.locationId],
    });
  const skus = [...new Set(command.lines.map((line) => line.sku))];
  const products = new Map(
    (await deps.catalog.findProducts(tx, skus)).map((product) => [product.sku, product]),
  );
  const movements = returnMovements(command, products);
  await deps.stock.applyAll(tx, movements);
  await deps.allocator.allocate(
    tx,
    movements.filter((movement) => movement.change.onHand > 0),
    deps.clock.now().toISOString(),
  );
}
