import type { ContextDeps, ContextModule } from '@tillstream/kernel';
import { posMigrations } from './pos.migrations.js';
import { createCollectionCommands } from './collections/collection.commands.js';
import { collectionsConsumer } from './collections/collection.consumer.js';
import { collectionRoutes } from './collections/collection.routes.js';
import { createCollectionStore } from './collections/collection.store.js';
import { createDirectory, directoryConsumer, type ErpLookup } from './directory/directory.js';
import { storeRoutes } from './directory/store.routes.js';
import { createReturnCommands } from './returns/return.commands.js';
import { DEFAULT_NO_RECEIPT_POLICY, type NoReceiptPolicy } from './returns/return.decide.js';
import { returnRoutes } from './returns/return.routes.js';
import { createReturnStore } from './returns/return.store.js';
import { createSaleCommands } from './sales/sale.commands.js';
import { saleRoutes } from './sales/sale.routes.js';
import { createSaleStore } from './sales/sale.store.js';
import { createShiftCommands } from './shifts/shift.commands.js';
import { shiftRoutes } from './shifts/shift.routes.js';
import { createShiftStore } from './shifts/shift.store.js';
import { createStoredValueCommands } from './stored-value/stored-value.commands.js';
import { DEFAULT_HOLD_SECONDS } from './stored-value/stored-value.decide.js';
import { storedValueRoutes } from './stored-value/stored-value.routes.js';
import { createStoredValueStore } from './stored-value/stored-value.store.js';
import { createStoredValueSweeper } from './stored-value/stored-value.sweeper.js';
import type { ErpPromotions } from './promotions/promotion.port.js';
import { promotionRoutes } from './promotions/promotion.routes.js';
import { createRedemptionOwnerStore } from './promotions/redemption-owner.store.js';
import { createQuarantineStore } from './sync/quarantine.store.js';
import { createSyncApplier } from './sync/sync.apply.js';
import { syncRoutes } from './sync/sync.routes.js';
import { catalogRoutes } from './terminals/catalog.routes.js';
import { snapshotRoutes } from './terminals/snapshot.routes.js';
import type { TerminalKeys } from './terminals/terminal.keys.js';
import { terminalRoutes } from './terminals/terminal.routes.js';
import { createTerminalStore } from './terminals/terminal.store.js';

export interface PosDeps extends ContextDeps {
  /** Synchronous ERP look-ups for locations and SKUs the event-fed projection has not seen yet. */
  erp: ErpLookup;
  /** Issues terminal API keys; without it POST /terminals answers 503 `terminal_keys_unavailable`. */
  terminalKeys?: TerminalKeys;
  /** Returns without a receipt; default: up to 50.00 in store credit. */
  noReceiptPolicy?: NoReceiptPolicy;
  /** ERP's promotion redemptions, for limited coupons at online tills; without it that route answers 503. */
  promotions?: ErpPromotions;
  /** How long an online gift card or store credit hold waits for its sale, in seconds; default 900. */
  storedValueHoldSeconds?: number;
  /** How often expired holds are given back to their cards, in milliseconds; default 30,000. */
  storedValueSweepIntervalMs?: number;
  /** How many days store credit from a return stays valid; default 0: for ever. */
  storeCreditValidityDays?: number;
  /** How long one read of ERP's pricing snapshot serves every terminal, in milliseconds; default 1,000. */
  pricingRefreshMs?: number;
}

/**
 * POS: terminals with their own keys, shifts and Z-reports, sales and returns recorded once under their
 * client-made ids (directly or through a terminal's sync batch) and published through the outbox.
 */
export function createPos(deps: PosDeps): ContextModule {
  const { db, clock } = deps;
  const directory = createDirectory(db, deps.erp, clock);
  const terminals = createTerminalStore(db);
  const shifts = createShiftStore(deps);
  const sales = createSaleStore(deps);
  const returns = createReturnStore(deps);
  const storedValue = createStoredValueStore(deps);
  const storedValueCommands = createStoredValueCommands({
    db,
    clock,
    store: storedValue,
    directory,
    shifts,
    holdSeconds: deps.storedValueHoldSeconds ?? DEFAULT_HOLD_SECONDS,
    storeCreditValidityDays: deps.storeCreditValidityDays ?? 0,
  });
  const storedValueSweeper = createStoredValueSweeper({
    expireHolds: storedValueCommands.expireDue,
    lapseCards: storedValueCommands.lapseDue,
    clock: deps.clock,
    intervalMs: deps.storedValueSweepIntervalMs ?? 30_000,
    logger: deps.logger,
  });
  const saleCommands = createSaleCommands({
    sales,
    directory,
    shifts,
    settleStoredValue: storedValueCommands.settleSale,
  });
  const noReceiptPolicy = deps.noReceiptPolicy ?? DEFAULT_NO_RECEIPT_POLICY;
  const returnCommands = createReturnCommands({
    db,
    clock,
    returns,
    directory,
    shifts,
    policy: noReceiptPolicy,
    creditRefunds: storedValueCommands.creditRefunds,
  });
  const shiftCommands = createShiftCommands({ db, clock, shifts });
  const collections = createCollectionStore(deps);
  const collectionCommands = createCollectionCommands({ db, clock, collections });
  const quarantine = createQuarantineStore(db);
  const redemptionOwners = createRedemptionOwnerStore(db);
  const applier = createSyncApplier({
    db,
    saleStore: sales,
    returnStore: returns,
    directory,
    sales: saleCommands,
    returns: returnCommands,
    shifts: shiftCommands,
    quarantine,
    clock,
    logger: deps.logger,
  });
  return {
    name: 'pos',
    migrations: posMigrations,
    routes: async (app) => {
      await app.register(saleRoutes({ sales, commands: saleCommands }));
      await app.register(returnRoutes({ db, returns, commands: returnCommands, policy: noReceiptPolicy }));
      await app.register(shiftRoutes({ db, shifts, commands: shiftCommands }));
      await app.register(syncRoutes({ applier, quarantine, terminals, clock }));
      await app.register(terminalRoutes({ terminals, directory, keys: deps.terminalKeys, clock }));
      await app.register(catalogRoutes({ db }));
      await app.register(storeRoutes({ directory }));
      await app.register(collectionRoutes({ db, collections, commands: collectionCommands }));
      await app.register(snapshotRoutes({ erp: deps.erp, clock, reuseMs: deps.pricingRefreshMs ?? 1000 }));
      await app.register(storedValueRoutes({ db, store: storedValue, commands: storedValueCommands }));
      await app.register(
        promotionRoutes({ erp: deps.promotions, sales, quarantine, owners: redemptionOwners, clock }),
      );
    },
    consumers: [directoryConsumer(db), collectionsConsumer({ db, collections })],
    start: async () => storedValueSweeper.start(),
    stop: () => storedValueSweeper.stop(),
  };
}
