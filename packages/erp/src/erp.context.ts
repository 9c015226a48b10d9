import type { ContextDeps, ContextModule } from '@tillstream/kernel';
import { erpMigrations } from './erp.migrations.js';
import { createCatalogStore } from './catalog/catalog.store.js';
import { catalogRoutes } from './catalog/catalog.routes.js';
import { createInventory } from './inventory/inventory.module.js';
import { pricingModule } from './pricing/pricing.module.js';
import { financeModule } from './finance/finance.module.js';

export interface ErpDeps extends ContextDeps {
  /** How often expired holds are released, in milliseconds (default 1000). */
  holdSweepIntervalMs?: number;
  /** How long a pricing snapshot stays once a newer one replaced it, in hours (default 720; 0 keeps all). */
  pricingSnapshotRetentionHours?: number;
  /** Days after its date a supplier invoice or bill without a due date of its own is to be paid (default 30). */
  supplierPaymentTermsDays?: number;
}

/** ERP: the source of truth for locations, products, stock, prices and the books. */
export function createErp(deps: ErpDeps): ContextModule {
  const catalog = createCatalogStore({ outbox: deps.outbox });
  const supplierPaymentTermsDays = deps.supplierPaymentTermsDays ?? 30;
  const inventory = createInventory({
    ...deps,
    catalog,
    holdSweepIntervalMs: deps.holdSweepIntervalMs ?? 1000,
    supplierPaymentTermsDays,
  });
  const pricing = pricingModule({
    ...deps,
    snapshotRetentionHours: deps.pricingSnapshotRetentionHours ?? 720,
  });
  const finance = financeModule({ ...deps, supplierPaymentTermsDays, source: pricing.source, catalog });
  return {
    name: 'erp',
    migrations: [...erpMigrations, ...pricing.migrations, ...finance.migrations],
    routes: async (app) => {
      await app.register(catalogRoutes({ db: deps.db, clock: deps.clock, catalog }));
      await app.register(inventory.routes);
      await app.register(pricing.routes);
      await app.register(finance.routes);
    },
    consumers: [...inventory.consumers, ...pricing.consumers, ...finance.consumers],
    metrics: finance.metrics,
    async start() {
      await inventory.start();
      pricing.start();
    },
    async stop() {
      await pricing.stop();
      await inventory.stop();
    },
  };
}
