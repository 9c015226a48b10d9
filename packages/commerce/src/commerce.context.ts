import type { ContextDeps, ContextModule } from '@tillstream/kernel';
import { commerceMigrations } from './commerce.migrations.js';
import { catalogProjection } from './catalog/catalog.projection.js';
import { storefrontRoutes } from './catalog/storefront.routes.js';

export interface CommerceDeps extends ContextDeps {
  /** `Cache-Control: max-age` on storefront reads. */
  cacheMaxAgeSeconds: number;
}

/** eCommerce: the storefront's catalog and availability, projected from ERP events. */
export function createCommerce(deps: CommerceDeps): ContextModule {
  return {
    name: 'commerce',
    migrations: commerceMigrations,
    routes: storefrontRoutes({ db: deps.db, cacheMaxAgeSeconds: deps.cacheMaxAgeSeconds }),
    consumers: [catalogProjection(deps.db)],
  };
}
