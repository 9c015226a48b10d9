import type { FastifyPluginAsync } from 'fastify';
import type { ContextDeps, ContextModule } from '@tillstream/kernel';
import { analyticsMigrations } from './analytics.migrations.js';
import { promotionRoutes } from './sales/promotions.routes.js';
import { salesConsumer } from './sales/sales.consumer.js';
import { salesRoutes } from './sales/sales.routes.js';
import { createReportStore } from './sales/report.store.js';
import { createSalesStore } from './sales/sales.store.js';

/**
 * Analytics: head-office reporting kept from the events POS and commerce publish (sales, returns, online
 * orders and refunds), with the tax ERP's journal books of store documents, in its own database, summed per UTC
 * quarter hour as they arrive (so that reports can count in any time zone's hours and days), with the
 * promotions applied. It reads no other context's tables and publishes nothing.
 */
export function createAnalytics(deps: ContextDeps): ContextModule {
  const reports = createReportStore(deps.db);
  const routes: FastifyPluginAsync = async (app) => {
    await app.register(salesRoutes({ store: reports }));
    await app.register(promotionRoutes({ store: reports }));
  };
  return {
    name: 'analytics',
    migrations: analyticsMigrations,
    routes,
    consumers: [salesConsumer({ db: deps.db, store: createSalesStore() })],
  };
}
