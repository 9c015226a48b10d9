import { SaleCompletedV1 } from '@tillstream/contracts';
import { conflict, type Clock, type Db, type Outbox, type Tx } from '@tillstream/kernel';
import type { Sale } from './sale.decide.js';

export interface StoredSale {
  requestHash: string;
  sale: Sale;
}

export function createSaleStore(deps: { db: Db; outbox: Outbox; clock: Clock }) {
  const find = async (
    reader: Pick<Tx, 'query'> | Pick<Db, 'query'>,
    id: string,
  ): Promise<StoredSale | null> => {
    const [row] = await reader.query<{ request_hash: string; result: string }>(
      'SELECT request_hash, result FROM sales WHERE id = $1',
      [id],
    );
    return row ? { requestHash: row.request_hash, sale: JSON.parse(row.result) as Sale } : null;
  };

  return {
    find,
    reader: deps.db as Pick<Db, 'query'>,
    /**
     * Stores a new sale and its `pos.sale.completed` event in one transaction. If the id exists already (a
     * concurrent retry won the race) the stored sale is returned instead; the primary key is the last guard.
     */
    async insert(sale: Sale, requestHash: string): Promise<{ created: boolean; stored: StoredSale }> {
      return deps.db.transaction(async (tx) => {
        const receivedAt = deps.clock.now().toISOString();
        const inserted = await tx.execute(
          `INSERT INTO sales (id, store_id, terminal_id, occurred_at, currency, total, request_hash, result, received_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
          [
            sale.id,
            sale.storeId,
            sale.terminalId,
            sale.occurredAt,
            sale.currency,
            sale.total,
            requestHash,
            JSON.stringify(sale),
            receivedAt,
          ],
        );
        if (inserted === 0) return { created: false, stored: (await find(tx, sale.id))! };
        await registerTerminal(tx, sale.terminalId, sale.storeId, receivedAt);
        const { id: saleId, status: _status, ...rest } = sale;
        await deps.outbox.append(tx, [
          {
            contract: SaleCompletedV1,
            subject: `sale/${saleId}`,
            sequence: 1,
            partitionKey: sale.storeId,
            data: { saleId, ...rest },
          },
        ]);
        return { created: true, stored: { requestHash, sale } };
      });
    },
  };
}

/** A terminal belongs to one store; the first sale seen from it registers it there. */
async function registerTerminal(tx: Tx, terminalId: string, storeId: string, at: string): Promise<void> {
  await tx.execute(
    'INSERT INTO terminals (terminal_id, store_id, registered_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [terminalId, storeId, at],
  );
  const [row] = await tx.query<{ store_id: string }>(
    'SELECT store_id FROM terminals WHERE terminal_id = $1',
    [terminalId],
  );
  if (row && row.store_id !== storeId) {
    throw conflict('terminal_store_mismatch', `Terminal ${terminalId} belongs to store ${row.store_id}`);
  }
}

export type SaleStore = ReturnType<typeof createSaleStore>;
