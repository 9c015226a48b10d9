import type { ContextDeps, ContextModule } from '@tillstream/kernel';
import { commerceMigrations } from './commerce.migrations.js';
import { catalogProjection } from './catalog/catalog.projection.js';
import { storefrontRoutes } from './catalog/storefront.routes.js';
import { createCartCommands } from './carts/cart.commands.js';
import { createCartPricing } from './carts/cart.pricing.js';
import { cartRoutes } from './carts/cart.routes.js';
import { createCheckout } from './checkout/checkout.commands.js';
import { testPaymentProvider, type PaymentProvider } from './checkout/payment.port.js';
import type { ErpPort } from './erp.port.js';
import { fulfilmentStatusConsumer } from './orders/fulfilment-status.consumer.js';
import { createOrderCommands } from './orders/order.commands.js';
import { orderRoutes } from './orders/order.routes.js';

export interface CommerceDeps extends ContextDeps {
  /** `Cache-Control: max-age` on storefront reads. */
  cacheMaxAgeSeconds: number;
  /** ERP's reservation and pricing APIs, called synchronously (checkout fails closed without them). */
  erp: ErpPort;
  /** Payment providers by method; `test` is built in. */
  payments?: Readonly<Record<string, PaymentProvider>>;
  /** How long a checkout's hold lasts in ERP if the checkout never finishes (default 900). */
  checkoutHoldSeconds?: number;
  /** How often the pricing snapshot is re-read from ERP (default 1000). */
  pricingRefreshMs?: number;
}

/** eCommerce: the storefront's catalog projected from ERP events, carts, checkout and online orders. */
export function createCommerce(deps: CommerceDeps): ContextModule {
  const pricing = createCartPricing({
    erp: deps.erp,
    clock: deps.clock,
    refreshMs: deps.pricingRefreshMs ?? 1000,
  });
  const checkout = createCheckout({
    ...deps,
    pricing,
    payments: { test: testPaymentProvider, ...deps.payments },
    holdTtlSeconds: deps.checkoutHoldSeconds ?? 900,
  });
  const orders = createOrderCommands({ db: deps.db, clock: deps.clock, erp: deps.erp });
  const carts = createCartCommands({ db: deps.db, clock: deps.clock, ids: deps.ids, pricing });
  const storefront = storefrontRoutes({ db: deps.db, cacheMaxAgeSeconds: deps.cacheMaxAgeSeconds });
  return {
    name: 'commerce',
    migrations: commerceMigrations,
    routes: async (app) => {
      await app.register(storefront);
      await app.register(cartRoutes(carts));
      await app.register(orderRoutes({ checkout, orders }));
    },
    consumers: [catalogProjection(deps.db), fulfilmentStatusConsumer(deps.db)],
  };
}
