import type { FastifyPluginAsync } from 'fastify';
import type { ContextDeps, ContextModule } from '@tillstream/kernel';
import { analyticsMigrations } from './analytics.migrations.js';
import { salesConsumer } from './sales/sales.consumer.js';
import { salesRoutes } from './sales/sales.routes.js';
import { createSalesStore } from './sales/sales.store.js';

/**
 * Analytics: head-office reporting kept from the events POS and commerce publish (sales, returns, online
 * orders and refunds) in its own database, summed per UTC hour as they arrive. It reads no other context's
 * tables and publishes nothing.
 */
export function createAnalytics(deps: ContextDeps): ContextModule {
  const store = createSalesStore(deps.db);
  const routes: FastifyPluginAsync = async (app) => {
    await app.register(salesRoutes({ store }));
  };
  return {
    name: 'analytics',
    migrations: analyticsMigrations,
    routes,
    consumers: [salesConsumer({ db: deps.db, store })],
  };
}
