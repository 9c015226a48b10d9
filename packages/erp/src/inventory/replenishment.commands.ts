import { unprocessable, type Db, type IdGenerator, type Tx } from '@tillstream/kernel';
import type { CatalogStore } from '../catalog/catalog.store.js';
import type { PurchaseOrderCommands, PurchaseOrderView } from './purchase-order.commands.js';
import {
  planReplenishmentDrafts,
  type DueForOrdering,
  type LastOrderLine,
  type Unassigned,
} from './replenishment-draft.decide.js';
import type { ReplenishmentStore } from './replenishment.store.js';

/** Suggestions read per statement: keeps each SKU list of the follow-up queries well inside parameter limits. */
const PAGE = 500;

export interface RaiseResult {
  created: PurchaseOrderView[];
  unassigned: Unassigned[];
}

/** Replenishment use cases that write: raising the draft purchase orders the suggestions call for. */
export function createReplenishmentCommands(deps: {
  db: Db;
  ids: IdGenerator;
  catalog: CatalogStore;
  replenishment: ReplenishmentStore;
  purchaseOrders: PurchaseOrderCommands;
}) {
  const { db, ids, catalog, replenishment, purchaseOrders } = deps;

  /** Every suggestion of the filter, with the last orders and product currencies the plan needs. */
  async function readDue(tx: Tx, locationId: string) {
    const due: DueForOrdering[] = [];
    const lastOrders: LastOrderLine[] = [];
    const productCurrencies = new Map<string, string>();
    let after = { locationId: '', sku: '' };
    for (;;) {
      const page = await replenishment.due(tx, { locationId, after, limit: PAGE });
      const skus = [...new Set(page.map(({ policy }) => policy.sku))].filter(
        (sku) => !productCurrencies.has(sku),
      );
      lastOrders.push(...(await replenishment.lastOrderLines(tx, skus)));
      for (const product of await catalog.findProducts(tx, skus))
        productCurrencies.set(product.sku, product.price.currency);
      due.push(...page);
      if (page.length < PAGE) return { due, lastOrders, productCurrencies };
      const last = page.at(-1)!.policy;
      after = { locationId: last.locationId, sku: last.sku };
    }
  }

  return {
    /**
     * Drafts what the suggestions of the filter (all locations when `locationId` is '') call for beyond open
     * drafts, through the same create as `POST /purchase-orders`, all in one transaction: the raise is taken
     * whole or not at all. Raises take turns (`lockRaise`) before reading, so none orders what another drafted.
     */
    async raiseDrafts(filter: { locationId: string }): Promise<RaiseResult> {
      return db.transaction(async (tx) => {
        const { locationId } = filter;
        if (locationId !== '' && !(await catalog.findLocation(tx, locationId)))
          throw unprocessable('unknown_location', `No location ${locationId}`, { locations: [locationId] });
        await replenishment.lockRaise(tx);
        const plan = planReplenishmentDrafts(await readDue(tx, locationId));
        const created: PurchaseOrderView[] = [];
        for (const draft of plan.drafts) {
          const { purchaseOrder } = await purchaseOrders.createIn(tx, { id: ids.next(), ...draft });
          created.push(purchaseOrder);
        }
        return { created, unassigned: plan.unassigned };
      });
    },
  };
}

export type ReplenishmentCommands = ReturnType<typeof createReplenishmentCommands>;
