import type { ContextDeps, ContextModule } from '@tillstream/kernel';
import { erpMigrations } from './erp.migrations.js';
import { createCatalogStore } from './catalog/catalog.store.js';
import { catalogRoutes } from './catalog/catalog.routes.js';
import { createStockStore } from './inventory/stock.store.js';
import { inventoryRoutes } from './inventory/inventory.routes.js';
import { salesConsumer } from './inventory/sales.consumer.js';

/** ERP: the source of truth for locations, products and stock. */
export function createErp(deps: ContextDeps): ContextModule {
  const catalog = createCatalogStore({ outbox: deps.outbox });
  const stock = createStockStore(deps);
  return {
    name: 'erp',
    migrations: erpMigrations,
    routes: async (app) => {
      await app.register(catalogRoutes({ db: deps.db, clock: deps.clock, catalog }));
      await app.register(inventoryRoutes({ db: deps.db, clock: deps.clock, catalog, stock }));
    },
    consumers: [salesConsumer({ db: deps.db, stock })],
  };
}
