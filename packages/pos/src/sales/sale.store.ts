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
    async list(filter: { terminalId?: string; shiftId?: string; limit: number }): Promise<Sale[]> {
      const where: string[] = [];
      const params: string[] = [];
      for (const [column, value] of [
        ['terminal_id', filter.terminalId],
        ['shift_id', filter.shiftId],
      ] as const) {
        if (value === undefined) continue;
        params.push(value);
        where.push(`${column} = $${params.length + 1}`);
      }
      const rows = await deps.db.query<{ result: string }>(
        `SELECT result FROM sales WHERE ${where.join(' AND ')} ORDER BY occurred_at, id LIMIT $1`,
        [filter.limit, ...params],
      );
      return rows.map((row) => JSON.parse(row.result) as Sale);
    },
    /**
     * Stores a new sale and its `pos.sale.completed` event in one transaction. If the id exists already (a
     * concurrent retry won the race) the stored sale is returned instead; the primary key is the last guard.
     * `within` runs in the same transaction (receipt number and shift bookkeeping) and says if it was late.
     */
    async insert(
      sale: Sale,
      requestHash: string,
      within?: (tx: Tx) => Promise<boolean>,
    ): Promise<{ created: boolean; stored: StoredSale; late: boolean }> {
      return deps.db.transaction(async (tx) => {
        const receivedAt = deps.clock.now().toISOString();
        const inserted = await tx.execute(
          `INSERT INTO sales (id, store_id, terminal_id, occurred_at, currency, total, request_hash, result, received_at,
             shift_id, receipt_no)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
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
            sale.shiftId ?? null,
            sale.receiptNo ?? null,
          ],
        );
        if (inserted === 0) return { created: false, stored: (await find(tx, sale.id))!, late: false };
        await registerTerminal(tx, sale.terminalId, sale.storeId, receivedAt);
        const late = within ? await within(tx) : false;
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
        return { created: true, stored: { requestHash, sale }, late };
      });
    },
  };
}

/** A terminal belongs to one store; the first sale seen from it registers it there. */
export async function registerTerminal(
  tx: Tx,
  terminalId: string,
  storeId: string,
  at: string,
): Promise<void> {
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
