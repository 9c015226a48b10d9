import { ReturnCompletedV1, type CloudEvent, type ReturnCompletedV1Data } from '@tillstream/contracts';
import type { ConsumerSpec, Db } from '@tillstream/kernel';
import { bookReturn, type ReturnBookingDeps } from './return.book.js';
import { STORE_CHANNEL } from './stock.decide.js';

/**
 * A store return moves stock as POST /inventory/returns does (restock or damaged, per line), exactly once: the
 * inbox and the movements' unique ids guard a redelivery. Restocked units go to waiting backorders first.
 */
export function posReturnsConsumer(deps: ReturnBookingDeps & { db: Db }): ConsumerSpec {
  return {
    name: 'erp.pos-returns',
    db: deps.db,
    sources: ['pos'],
    types: [ReturnCompletedV1.type],
    async handle(event: CloudEvent, tx) {
      const data = event.data as ReturnCompletedV1Data;
      await bookReturn(tx, deps, {
        id: data.returnId,
        locationId: data.storeId,
        channel: STORE_CHANNEL,
        occurredAt: new Date(data.occurredAt).toISOString(),
        lines: data.lines.map((line) => ({
          sku: line.sku,
          quantity: line.quantity,
          disposition: line.disposition,
        })),
      });
    },
  };
}
