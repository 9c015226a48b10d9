import type { ContextDeps, ContextModule } from '@tillstream/kernel';
import { commerceMigrations } from './commerce.migrations.js';
import { createCatalogCache } from './catalog/catalog.cache.js';
import { createCatalogStore } from './catalog/catalog.store.js';
import { catalogProjection } from './catalog/catalog.projection.js';
import { notifyingDb } from './catalog/notifying-db.js';
import { pickupRoutes } from './catalog/pickup.routes.js';
import { storefrontRoutes } from './catalog/storefront.routes.js';
import { createCartCommands } from './carts/cart.commands.js';
import { createCartSweeper } from './carts/cart.sweeper.js';
import { createCartPricing } from './carts/cart.pricing.js';
import { cartRoutes } from './carts/cart.routes.js';
import { createCheckout } from './checkout/checkout.commands.js';
import { testPaymentProvider, type PaymentProvider } from './checkout/payment.port.js';
import type { ErpPort } from './erp.port.js';
import { createCollectionSweeper } from './orders/collection.sweeper.js';
import { fulfilmentStatusConsumer } from './orders/fulfilment-status.consumer.js';
import { createOrderCommands } from './orders/order.commands.js';
import { orderListRoutes } from './orders/order-list.routes.js';
import { orderRoutes } from './orders/order.routes.js';
import { createPricingSnapshotKeeper } from './pricing/pricing-snapshot.keeper.js';
import { createRefunds } from './orders/refund.commands.js';
import { createReturns } from './orders/return.commands.js';

export interface CommerceDeps extends ContextDeps {
  /** `Cache-Control: max-age` on storefront reads. */
  cacheMaxAgeSeconds: number;
  /** ERP's reservation and pricing APIs, called synchronously (checkout fails closed without them). */
  erp: ErpPort;
  /** Payment providers by method; `test` is built in. */
  payments?: Readonly<Record<string, PaymentProvider>>;
  /**
   * Whether the built-in `test` provider takes payments (default true): it approves without taking money, so
   * it is for development and demos, and a live shop turns it off.
   */
  testPayments?: boolean;
  /**
   * How long checkout waits for a payment provider before answering `payment_timeout` (default 30,000); a
   * retry of that checkout repeats the same provider attempt.
   */
  paymentTimeoutMs?: number;
  /** The ERP adapter's timeout per call (default 2,000); with the above it sets how long a checkout's claim lasts. */
  erpTimeoutMs?: number;
  /** How long a checkout's hold lasts in ERP if the checkout never finishes (default 900). */
  checkoutHoldSeconds?: number;
  /** How often the pricing snapshot is re-read from ERP (default 1000). */
  pricingRefreshMs?: number;
  /** A cart untouched this long is abandoned and expires (default 7 days). */
  cartExpirySeconds?: number;
  /** How often abandoned carts, and collections past their hold, are looked for (default 60,000). */
  cartSweepIntervalMs?: number;
  /**
   * A collection (click and collect) ready at its store this many days without being collected is cancelled:
   * its units go back to the store's stock and the payment to the shopper. 0 or absent: never, the merchant
   * cancels by hand.
   */
  collectionHoldDays?: number;
  /** How often the catalog cache looks for changes another instance applied (default 200). */
  catalogPollMs?: number;
  /**
   * The channels the public cart API sells on (default `['web']`; the first is a new cart's default). A cart
   * is priced with its channel's price lists and held from its channel's locations, so no other channel
   * (staff prices, store shelves) may be reached through the storefront.
   */
  channels?: readonly [string, ...string[]];
}

/** eCommerce: the storefront's catalog projected from ERP events, carts, checkout and online orders. */
export function createCommerce(deps: CommerceDeps): ContextModule {
  const snapshots = createPricingSnapshotKeeper(deps);
  const pricing = createCartPricing({
    snapshots,
    clock: deps.clock,
    refreshMs: deps.pricingRefreshMs ?? 1000,
  });
  const cartExpirySeconds = deps.cartExpirySeconds ?? 7 * 24 * 3600;
  const payments = {
    ...(deps.testPayments === false ? {} : { test: testPaymentProvider }),
    ...deps.payments,
  };
  const checkout = createCheckout({
    ...deps,
    pricing,
    payments,
    holdTtlSeconds: deps.checkoutHoldSeconds ?? 900,
    cartExpirySeconds,
    paymentTimeoutMs: deps.paymentTimeoutMs ?? 30_000,
    erpTimeoutMs: deps.erpTimeoutMs ?? 2_000,
  });
  const refunds = createRefunds({ ...deps, payments });
  const returns = createReturns({ ...deps, refunds });
  const orders = createOrderCommands({ db: deps.db, clock: deps.clock, erp: deps.erp, refunds });
  const catalogRows = createCatalogStore(deps.db);
  const carts = createCartCommands({
    ...deps,
    pricing,
    expirySeconds: cartExpirySeconds,
    notForSale: catalogRows.notForSale,
  });
  const cartSweeper = createCartSweeper({
    ...deps,
    expirySeconds: cartExpirySeconds,
    intervalMs: deps.cartSweepIntervalMs ?? 60_000,
  });
  const collectionSweeper =
    (deps.collectionHoldDays ?? 0) > 0
      ? createCollectionSweeper({
          ...deps,
          orders,
          holdDays: deps.collectionHoldDays!,
          intervalMs: deps.cartSweepIntervalMs ?? 60_000,
        })
      : null;
  const catalog = createCatalogCache({
    db: deps.db,
    clock: deps.clock,
    logger: deps.logger,
    snapshots,
    channel: 'web',
    pollMs: deps.catalogPollMs ?? 200,
  });
  // The projection's consumer commits, then the cache re-reads what it committed, then the event is acked.
  const projectionDb = notifyingDb(deps.db, () =>
    catalog.sync().catch((error: unknown) => deps.logger.warn({ err: error }, 'catalog sync failed')),
  );
  const storefront = storefrontRoutes({ cache: catalog, cacheMaxAgeSeconds: deps.cacheMaxAgeSeconds });
  return {
    name: 'commerce',
    migrations: commerceMigrations,
    routes: async (app) => {
      await app.register(storefront);
      await app.register(pickupRoutes({ cache: catalog, pricing }));
      await app.register(cartRoutes(carts, deps.channels ?? ['web']));
      await app.register(orderRoutes({ checkout, orders, refunds, returns }));
      await app.register(orderListRoutes({ db: deps.db }));
    },
    consumers: [catalogProjection(projectionDb), fulfilmentStatusConsumer(deps.db)],
    start: async () => {
      // Before anything is served: the prices last received from ERP, in case ERP does not answer now.
      await snapshots.load();
      await catalog.start();
      cartSweeper.start();
      collectionSweeper?.start();
    },
    stop: async () => {
      await cartSweeper.stop();
      await collectionSweeper?.stop();
      await catalog.stop();
    },
  };
}
