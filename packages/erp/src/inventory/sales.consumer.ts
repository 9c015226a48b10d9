import { SaleCompletedV1, type CloudEvent, type SaleCompletedV1Data } from '@tillstream/contracts';
import { rowsPerTransaction, type ConsumerSpec, type Db, type Tx } from '@tillstream/kernel';
import type { Product } from '../catalog/catalog.decide.js';
import type { CatalogStore } from '../catalog/catalog.store.js';
import { stockQuantities } from './kit.decide.js';
import type { StockSession, StockStore } from './stock.store.js';
import { changeOf, STORE_CHANNEL, type Movement } from './stock.decide.js';

/**
 * One `sold` movement per stock SKU of the sale, dated when the sale happened: a kit line sells its
 * components, and lines of the same SKU (directly or through kits) are summed. In SKU order, so the balance
 * locks of concurrent sales are always taken in one order.
 */
export function saleMovements(sale: SaleCompletedV1Data, products: ReadonlyMap<string, Product>): Movement[] {
  return [...stockQuantities(sale.lines, products)]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([sku, quantity]) => ({
      id: `sale/${sale.saleId}/${sku}`,
      sku,
      locationId: sale.storeId,
      kind: 'sold',
      change: changeOf({ onHand: -quantity }),
      occurredAt: new Date(sale.occurredAt).toISOString(),
      reference: `sale/${sale.saleId}`,
      channel: STORE_CHANNEL,
    }));
}

const skusOf = (sale: SaleCompletedV1Data) => [...new Set(sale.lines.map((line) => line.sku))];

/** ERP applies every completed store sale to stock, exactly once (inbox and the unique movement reference). */
export function salesConsumer(deps: { db: Db; stock: StockStore; catalog: CatalogStore }): ConsumerSpec {
  // Products are read for the whole batch at once (a query per sale was 3 % of the CPU under ingest), and kept
  // for its transaction: none changes inside it, as this consumer writes stock only.
  const productsOf = rowsPerTransaction(
    (tx, skus) => deps.catalog.findProducts(tx, skus),
    (product) => product.sku,
  );
  // The batch's balances, locked once before its first sale and written once after its last: a batch under
  // load holds many sales of the same busy SKUs, and each sale locked and wrote each of its balances. The
  // movements worked out to name the keys are kept for handle, by event id.
  const batchIn = new WeakMap<Tx, { session: StockSession; movements: Map<string, Movement[]> }>();
  const movementsOf = async (tx: Tx, sale: SaleCompletedV1Data) =>
    saleMovements(sale, await productsOf(tx, skusOf(sale)));
  return {
    name: 'erp.pos-sales',
    db: deps.db,
    sources: ['pos'],
    types: [SaleCompletedV1.type],
    async prepare(events, tx) {
      await productsOf(
        tx,
        events.flatMap((event) => skusOf(event.data as SaleCompletedV1Data)),
      );
      const movements = new Map<string, Movement[]>();
      for (const event of events)
        movements.set(event.id, await movementsOf(tx, event.data as SaleCompletedV1Data));
      const session = await deps.stock.session(tx, [...movements.values()].flat());
      batchIn.set(tx, { session, movements });
    },
    async handle(event: CloudEvent, tx) {
      // A store sale is physical fact: never refused, even when it takes on-hand below zero.
      const batch = batchIn.get(tx);
      const movements =
        batch?.movements.get(event.id) ?? (await movementsOf(tx, event.data as SaleCompletedV1Data));
      if (batch) await batch.session.apply(movements);
      else await deps.stock.applyAll(tx, movements);
    },
    async finish(tx) {
      await batchIn.get(tx)?.session.flush();
    },
  };
}
