import { SaleCompletedV1, type CloudEvent, type SaleCompletedV1Data } from '@tillstream/contracts';
import type { ConsumerSpec, Db } from '@tillstream/kernel';
import type { StockStore } from './stock.store.js';
import type { Movement } from './stock.decide.js';

/** One `sold` movement per SKU of the sale (lines of the same SKU are summed), dated when the sale happened. */
export function saleMovements(sale: SaleCompletedV1Data): Movement[] {
  const quantities = new Map<string, number>();
  for (const line of sale.lines) quantities.set(line.sku, (quantities.get(line.sku) ?? 0) + line.quantity);
  return [...quantities].map(([sku, quantity]) => ({
    id: `sale/${sale.saleId}/${sku}`,
    sku,
    locationId: sale.storeId,
    kind: 'sold',
    quantity: -quantity,
    occurredAt: sale.occurredAt,
    reference: `sale/${sale.saleId}`,
  }));
}

/** ERP applies every completed store sale to stock, exactly once (inbox and the unique movement reference). */
export function salesConsumer(deps: { db: Db; stock: StockStore }): ConsumerSpec {
  return {
    name: 'erp.pos-sales',
    db: deps.db,
    sources: ['pos'],
    types: [SaleCompletedV1.type],
    async handle(event: CloudEvent, tx) {
      const sale = event.data as SaleCompletedV1Data;
      for (const movement of saleMovements(sale)) await deps.stock.record(tx, movement, event.id);
    },
  };
}
