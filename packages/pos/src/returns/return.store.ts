import { ReturnCompletedV1 } from '@tillstream/contracts';
import {
  asNumber,
  placeholders,
  rowLock,
  type Clock,
  type Db,
  type Outbox,
  type Tx,
} from '@tillstream/kernel';
import type { Sale } from '../sales/sale.decide.js';
import type { Original, SaleReturn } from './return.decide.js';

export interface StoredReturn {
  requestHash: string;
  saleReturn: SaleReturn;
}

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

export function createReturnStore(deps: { db: Db; outbox: Outbox; clock: Clock }) {
  const find = async (reader: Reader, id: string): Promise<StoredReturn | null> => {
    const [row] = await reader.query<{ request_hash: string; result: string }>(
      'SELECT request_hash, result FROM sale_returns WHERE id = $1',
      [id],
    );
    return row ? { requestHash: row.request_hash, saleReturn: JSON.parse(row.result) as SaleReturn } : null;
  };

  return {
    find,
    /** The returns stored under any of `ids`, by id: a sync batch looks its documents up in one query. */
    async findMany(reader: Reader, ids: readonly string[]): Promise<Map<string, StoredReturn>> {
      if (ids.length === 0) return new Map();
      const rows = await reader.query<{ id: string; request_hash: string; result: string }>(
        `SELECT id, request_hash, result FROM sale_returns WHERE id IN (${placeholders(ids.length)})`,
        ids,
      );
      return new Map(
        rows.map((row) => [
          row.id,
          { requestHash: row.request_hash, saleReturn: JSON.parse(row.result) as SaleReturn },
        ]),
      );
    },
    /**
     * The receipt a return is checked against, with the units of each line returned so far. On PostgreSQL the
     * sale's row is locked, so two terminals returning from one receipt at once take turns. `returnIds` names
     * the returns those units came from.
     */
    async original(
      reader: Pick<Tx, 'query' | 'dialect'> | Pick<Db, 'query' | 'dialect'>,
      saleId: string,
      lock = false,
    ): Promise<(Original & { returnIds: string[] }) | null> {
      const suffix = rowLock(reader, lock);
      const [row] = await reader.query<{ result: string }>(
        `SELECT result FROM sales WHERE id = $1${suffix}`,
        [saleId],
      );
      if (!row) return null;
      // One read of the returned lines gives both the units and the returns they came from, so the two agree
      // even while another return commits.
      const lines = await reader.query<{
        return_id: string;
        line_no: number | string;
        quantity: number | string;
      }>('SELECT return_id, line_no, quantity FROM returned_lines WHERE sale_id = $1 ORDER BY return_id', [
        saleId,
      ]);
      const returned = new Map<number, number>();
      for (const line of lines) {
        const lineNo = asNumber(line.line_no);
        returned.set(lineNo, (returned.get(lineNo) ?? 0) + asNumber(line.quantity));
      }
      // The shortfalls are raised with the sale, in its transaction, so they are all here before any return.
      const [shortfalls] = await reader.query<{ uncollected: number | string | null }>(
        'SELECT SUM(shortfall) AS uncollected FROM stored_value_exceptions WHERE sale_id = $1',
        [saleId],
      );
      return {
        sale: JSON.parse(row.result) as Sale,
        returned,
        uncollected: asNumber(shortfalls?.uncollected ?? 0),
        returnIds: [...new Set(lines.map((line) => line.return_id))],
      };
    },
    /** Stores the return, the units it takes off its receipt and `pos.return.completed`; false if the id exists. */
    async insert(tx: Tx, saleReturn: SaleReturn, requestHash: string): Promise<boolean> {
      const receivedAt = deps.clock.now().toISOString();
      const inserted = await tx.execute(
        `INSERT INTO sale_returns (id, store_id, terminal_id, shift_id, original_sale_id, occurred_at, currency, total,
           request_hash, result, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
        [
          saleReturn.id,
          saleReturn.storeId,
          saleReturn.terminalId,
          saleReturn.shiftId ?? null,
          saleReturn.originalSaleId,
          saleReturn.occurredAt,
          saleReturn.currency,
          saleReturn.total,
          requestHash,
          JSON.stringify(saleReturn),
          receivedAt,
        ],
      );
      if (inserted === 0) return false;
      const perLine = new Map<number, number>();
      for (const line of saleReturn.lines) {
        if (line.originalLineNo !== undefined)
          perLine.set(line.originalLineNo, (perLine.get(line.originalLineNo) ?? 0) + line.quantity);
      }
      for (const [lineNo, quantity] of perLine) {
        await tx.execute(
          'INSERT INTO returned_lines (return_id, sale_id, line_no, quantity) VALUES ($1, $2, $3, $4)',
          [saleReturn.id, saleReturn.originalSaleId, lineNo, quantity],
        );
      }
      const { id: returnId, status: _status, ...rest } = saleReturn;
      await deps.outbox.append(tx, [
        {
          contract: ReturnCompletedV1,
          subject: `return/${returnId}`,
          sequence: 1,
          partitionKey: saleReturn.storeId,
          data: { returnId, ...rest },
        },
      ]);
      return true;
    },
  };
}

export type ReturnStore = ReturnType<typeof createReturnStore>;
