import type { Db, Tx } from '@tillstream/kernel';
import { reviewList, type ReviewStatus } from '../review-list.store.js';

export type ExceptionStatus = ReviewStatus;

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

const list = reviewList<ExceptionRow>('stock_exceptions');

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

/** Stock exceptions (raised by the stock store: on-hand gone negative, goods gone unpaid) and their review. */
export function createStockExceptionStore() {
  const find = async (reader: Reader, id: string): Promise<StockException | null> => {
    const row = await list.find(reader, id);
    return row ? toException(row) : null;
  };
  return {
    find,
    /** One page in raising order after `after` (see `reviewList`), `limit + 1` rows. */
    async page(
      reader: Reader,
      options: { after: StockException | null; status: ExceptionStatus; limit: number },
    ): Promise<StockException[]> {
      return (await list.page(reader, options)).map(toException);
    },
    /** Marks it resolved once; resolving it again changes nothing (the first time stays). */
    async resolve(tx: Tx, id: string, at: string): Promise<StockException | null> {
      await list.resolve(tx, id, at);
      return find(tx, id);
    },
  };
}

export type StockExceptionStore = ReturnType<typeof createStockExceptionStore>;
