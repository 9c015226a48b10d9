import type { FastifyPluginAsync } from 'fastify';
import type { ConsumerSpec, ContextDeps } from '@tillstream/kernel';
import type { CatalogStore } from '../catalog/catalog.store.js';
import { availabilityRoutes } from './availability.routes.js';
import { createBackorderAllocator } from './backorder.allocate.js';
import { createBackorderStore } from './backorder.store.js';
import { createChannelStore } from './channel.store.js';
import { countRoutes } from './count.routes.js';
import { createFulfilmentCommands } from './fulfilment.commands.js';
import { fulfilmentRoutes } from './fulfilment.routes.js';
import { createFulfilmentStore } from './fulfilment.store.js';
import { createHoldSweeper } from './hold-sweeper.js';
import { inventoryRoutes } from './inventory.routes.js';
import { ledgerRoutes } from './ledger.routes.js';
import { createReservationCommands } from './reservation.commands.js';
import { reservationRoutes } from './reservation.routes.js';
import { createReservationStore } from './reservation.store.js';
import { onlineOrdersConsumer } from './online-orders.consumer.js';
import { onlineReturnsConsumer } from './online-returns.consumer.js';
import { posCollectionsConsumer } from './pos-collections.consumer.js';
import { posReturnsConsumer } from './pos-returns.consumer.js';
import { returnRoutes } from './return.routes.js';
import { salesConsumer } from './sales.consumer.js';
import { createPurchaseOrderCommands } from './purchase-order.commands.js';
import { purchaseOrderRoutes } from './purchase-order.routes.js';
import { createPurchaseOrderStore } from './purchase-order.store.js';
import { createSupplierInvoiceNumbers } from './supplier-invoice-number.store.js';
import { reorderPolicyRoutes } from './reorder-policy.routes.js';
import { createReorderPolicyStore } from './reorder-policy.store.js';
import { createReplenishmentCommands } from './replenishment.commands.js';
import { replenishmentRoutes } from './replenishment.routes.js';
import { createReplenishmentStore } from './replenishment.store.js';
import { createStockStore } from './stock.store.js';
import { createTransferCommands } from './transfer.commands.js';
import { transferRoutes } from './transfer.routes.js';
import { stockExceptionRoutes } from './stock-exception.routes.js';
import { createStockExceptionStore } from './stock-exception.store.js';
import { createTransferStore } from './transfer.store.js';

export interface InventoryOptions {
  /** How often the hold sweeper looks for expired reservations, in milliseconds. */
  holdSweepIntervalMs: number;
  /** Days after its date a supplier invoice without a due date of its own is to be paid. */
  supplierPaymentTermsDays: number;
}

/**
 * ERP's inventory: the stock ledger, reservations, channels, backorders, fulfilments, transfers, purchase
 * orders, counts, returns and replenishment (reorder policies and what to order).
 */
export function createInventory(deps: ContextDeps & InventoryOptions & { catalog: CatalogStore }) {
  const { db, clock, outbox, catalog } = deps;
  const stock = createStockStore(deps);
  const channels = createChannelStore({ catalog, outbox });
  const reservations = createReservationStore();
  const backorders = createBackorderStore();
  const allocator = createBackorderAllocator({
    outbox,
    stock,
    reservations,
    backorders,
    // Called only after start-up, by which time the fulfilment commands below exist.
    onFilled: (tx, reservationId, placement, version, now) =>
      fulfilments.backorderFilled(tx, reservationId, placement, version, now),
  });
  const commands = createReservationCommands({
    ...deps,
    channels,
    stock,
    reservations,
    backorders,
    allocator,
  });
  const fulfilments = createFulfilmentCommands({
    ...deps,
    fulfilments: createFulfilmentStore(),
    reservations,
    backorders,
    stock,
    commands,
  });
  const transfers = createTransferCommands({ ...deps, stock, transfers: createTransferStore(), allocator });
  const orders = createPurchaseOrderStore();
  const purchaseOrders = createPurchaseOrderCommands({
    ...deps,
    stock,
    orders,
    allocator,
    invoiceNumbers: createSupplierInvoiceNumbers(),
    paymentTermsDays: deps.supplierPaymentTermsDays,
  });
  const replenishment = createReplenishmentStore();
  const replenishmentCommands = createReplenishmentCommands({ ...deps, replenishment, purchaseOrders });
  const sweeper = createHoldSweeper({
    expireDue: (limit) => commands.expireDue(limit),
    intervalMs: deps.holdSweepIntervalMs,
    logger: deps.logger,
  });
  const routes: FastifyPluginAsync = async (app) => {
    const shared = { db, clock, catalog, stock, allocator };
    await app.register(inventoryRoutes({ ...shared, onOrder: orders.openLines }));
    await app.register(ledgerRoutes({ db, backorders }));
    await app.register(countRoutes(shared));
    await app.register(returnRoutes(shared));
    await app.register(reservationRoutes({ db, clock, catalog, channels, commands }));
    await app.register(availabilityRoutes({ db, catalog, channels }));
    await app.register(transferRoutes({ commands: transfers }));
    await app.register(purchaseOrderRoutes({ commands: purchaseOrders }));
    await app.register(fulfilmentRoutes({ commands: fulfilments }));
    await app.register(stockExceptionRoutes({ db, clock, exceptions: createStockExceptionStore() }));
    await app.register(reorderPolicyRoutes({ db, clock, catalog, policies: createReorderPolicyStore() }));
    await app.register(replenishmentRoutes({ db, catalog, replenishment, commands: replenishmentCommands }));
  };
  const consumers: ConsumerSpec[] = [
    salesConsumer({ db, stock, catalog }),
    posReturnsConsumer({ db, clock, stock, catalog, allocator }),
    onlineOrdersConsumer({ db, commands, fulfilments }),
    onlineReturnsConsumer({ db, clock, stock, catalog, allocator, fulfilments }),
    posCollectionsConsumer({ db, fulfilments }),
  ];
  return {
    routes,
    consumers,
    start: async () => sweeper.start(),
    stop: () => sweeper.stop(),
  };
}
