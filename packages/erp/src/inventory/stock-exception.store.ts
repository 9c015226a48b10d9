import type { Db, Tx } from '@tillstream/kernel';

export type ExceptionStatus = 'open' | 'resolved' | 'all';

export interface StockException {
  id: string;
  sku: string;
  locationId: string;
  onHand: number;
  cause: { kind: string; reference: string };
  raisedAt: string;
  resolvedAt: string | null;
}

interface ExceptionRow {
  id: string;
  sku: string;
  location_id: string;
  on_hand: number | string;
  cause_kind: string;
  cause_reference: string;
  raised_at: string;
  resolved_at: string | null;
}

const toException = (row: ExceptionRow): StockException => ({
  id: row.id,
  sku: row.sku,
  locationId: row.location_id,
  onHand: Number(row.on_hand),
  cause: { kind: row.cause_kind, reference: row.cause_reference },
  raisedAt: row.raised_at,
  resolvedAt: row.resolved_at ?? null,
});

const STATUS_FILTER: Record<ExceptionStatus, string> = {
  open: 'AND resolved_at IS NULL',
  resolved: 'AND resolved_at IS NOT NULL',
  all: '',
};

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

/** Stock exceptions (raised by the stock store when on-hand goes negative) and their review. */
export function createStockExceptionStore() {
  const find = async (reader: Reader, id: string): Promise<StockException | null> => {
    const [row] = await reader.query<ExceptionRow>('SELECT * FROM stock_exceptions WHERE id = $1', [id]);
    return row ? toException(row) : null;
  };
  return {
    find,
    /**
     * One page in raising order, after the exception `after` (keyset on raised_at, id: a page never repeats
     * or skips one because others were raised or resolved meanwhile). Reads `limit + 1` rows so the caller
     * knows whether there is a next page.
     */
    async page(
      reader: Reader,
      options: { after: StockException | null; status: ExceptionStatus; limit: number },
    ): Promise<StockException[]> {
      const { after, status, limit } = options;
      const keyset = after ? 'AND (raised_at > $2 OR (raised_at = $2 AND id > $3))' : '';
      const rows = await reader.query<ExceptionRow>(
        `SELECT * FROM stock_exceptions WHERE 1 = 1 ${STATUS_FILTER[status]} ${keyset}
         ORDER BY raised_at, id LIMIT $1`,
        after ? [limit + 1, after.raisedAt, after.id] : [limit + 1],
      );
      return rows.map(toException);
    },
    /** Marks it resolved once; resolving it again changes nothing (the first time stays). */
    async resolve(tx: Tx, id: string, at: string): Promise<StockException | null> {
      await tx.execute('UPDATE stock_exceptions SET resolved_at = $1 WHERE id = $2 AND resolved_at IS NULL', [
        at,
        id,
      ]);
      return find(tx, id);
    },
  };
}

export type StockExceptionStore = ReturnType<typeof createStockExceptionStore>;
