import type { ContextDeps, ContextModule } from '@tillstream/kernel';
import { posMigrations } from './pos.migrations.js';
import { createDirectory, directoryConsumer, type ErpLookup } from './directory/directory.js';
import { createSaleStore } from './sales/sale.store.js';
import { saleRoutes } from './sales/sale.routes.js';

export interface PosDeps extends ContextDeps {
  /** Synchronous ERP look-ups for locations and SKUs the event-fed projection has not seen yet. */
  erp: ErpLookup;
}

/** POS: store sales from terminals, recorded once under their client-made ids and published through the outbox. */
export function createPos(deps: PosDeps): ContextModule {
  const sales = createSaleStore(deps);
  const directory = createDirectory(deps.db, deps.erp);
  return {
    name: 'pos',
    migrations: posMigrations,
    routes: saleRoutes({ sales, directory }),
    consumers: [directoryConsumer(deps.db)],
  };
}
