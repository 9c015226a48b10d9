import type { Db, SqlValue, Tx } from '@tillstream/kernel';

/** Which findings a review list shows: open (not yet reviewed), resolved, or all. */
export type ReviewStatus = 'open' | 'resolved' | 'all';

const STATUS_FILTER: Record<ReviewStatus, string | null> = {
  open: 'resolved_at IS NULL',
  resolved: 'resolved_at IS NOT NULL',
  all: null,
};

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

/**
 * The reads and the one write of a list of findings ERP raised for review (stock exceptions, price mismatches):
 * rows with `id`, `raised_at` and `resolved_at`, paged in raising order, resolved once.
 */
export function reviewList<Row>(table: 'stock_exceptions' | 'price_mismatches') {
  return {
    async find(reader: Reader, id: string): Promise<Row | null> {
      const [row] = await reader.query<Row>(`SELECT * FROM ${table} WHERE id = $1`, [id]);
      return row ?? null;
    },

    /**
     * One page in raising order after the finding `after` (keyset on raised_at, id: a page never repeats or
     * skips one because others were raised or resolved meanwhile), narrowed to `status` and to columns equal
     * to the values given (undefined: not narrowed). Reads `limit + 1` rows so the caller knows whether there
     * is a next page.
     */
    async page(
      reader: Reader,
      options: {
        status: ReviewStatus;
        equal?: ReadonlyArray<readonly [column: string, value: string | undefined]>;
        after: { raisedAt: string; id: string } | null;
        limit: number;
      },
    ): Promise<Row[]> {
      const params: SqlValue[] = [options.limit + 1];
      const where: string[] = [];
      const status = STATUS_FILTER[options.status];
      if (status) where.push(status);
      for (const [column, value] of options.equal ?? []) {
        if (value === undefined) continue;
        params.push(value);
        where.push(`${column} = $${params.length}`);
      }
      if (options.after) {
        params.push(options.after.raisedAt, options.after.id);
        const [raisedAt, id] = [`$${params.length - 1}`, `$${params.length}`];
        where.push(`(raised_at > ${raisedAt} OR (raised_at = ${raisedAt} AND id > ${id}))`);
      }
      return reader.query<Row>(
        `SELECT * FROM ${table} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY raised_at, id LIMIT $1`,
        params,
      );
    },

    /** Marks it reviewed once; resolving it again changes nothing (the first time stays). */
    async resolve(tx: Tx, id: string, at: string): Promise<void> {
      await tx.execute(`UPDATE ${table} SET resolved_at = $1 WHERE id = $2 AND resolved_at IS NULL`, [
        at,
        id,
      ]);
    },
  };
}
