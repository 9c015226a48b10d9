import type { Db, SqlValue } from '@tillstream/kernel';
import type { Window } from './buckets.decide.js';
import type { SalesFigures } from './sales.decide.js';
import { FIGURES } from './sales.store.js';

const COLUMNS = FIGURES.map(([, column]) => column);

/** A summed report row as the database answers it: sums come back as text or bigint on PostgreSQL. */
type Row = Record<string, string | number | bigint | null>;

/** Filters every report takes; absent means all. */
export interface ReportFilter extends Window {
  channel?: string | undefined;
  locationId?: string | undefined;
  currency?: string | undefined;
}

/** `WHERE` of a window and its filters, numbering parameters after `params`. */
function whereOf(filter: ReportFilter, params: SqlValue[]): string {
  params.push(filter.fromHour, filter.toHour);
  const clauses = [`hour >= $${params.length - 1}`, `hour < $${params.length}`];
  for (const [column, value] of [
    ['channel', filter.channel],
    ['location_id', filter.locationId],
    ['currency', filter.currency],
  ] as const) {
    if (value === undefined) continue;
    params.push(value);
    clauses.push(`${column} = $${params.length}`);
  }
  return clauses.join(' AND ');
}

const toNumber = (value: Row[string] | undefined) => Number(value ?? 0);

/** Reads of the sums the consumer keeps: committed data only, outside its transactions. */
export function createReportStore(db: Db) {
  return {
    /**
     * Sums per period (hour, or the day's first 10 characters), channel, location and currency, in that
     * order, after `after` (the last row's key of the page before), at most `limit` rows.
     */
    async sales(
      filter: ReportFilter & { day: boolean; after: string[] | null; limit: number },
    ): Promise<Array<{ key: string[]; figures: SalesFigures }>> {
      const params: SqlValue[] = [];
      const period = filter.day ? 'substr(hour, 1, 10)' : 'hour';
      let where = whereOf(filter, params);
      if (filter.after) {
        params.push(...filter.after);
        const at = params.length - 3;
        where += ` AND (${period}, channel, location_id, currency) > ($${at}, $${at + 1}, $${at + 2}, $${at + 3})`;
      }
      params.push(filter.limit);
      const rows = await db.query<Row>(
        `SELECT ${period} AS period, channel, location_id, currency,
           ${COLUMNS.map((column) => `SUM(${column}) AS ${column}`).join(', ')}
         FROM sales_by_hour WHERE ${where}
         GROUP BY ${period}, channel, location_id, currency
         ORDER BY 1, 2, 3, 4 LIMIT $${params.length}`,
        params,
      );
      return rows.map((row) => ({
        key: [String(row.period), String(row.channel), String(row.location_id), String(row.currency)],
        figures: Object.fromEntries(
          FIGURES.map(([field, column]) => [field, toNumber(row[column])]),
        ) as unknown as SalesFigures,
      }));
    },

    /** Each SKU's sums over the window in one currency, best first by `by`, then by SKU. */
    async topProducts(filter: ReportFilter & { currency: string; by: 'units' | 'net'; limit: number }) {
      const params: SqlValue[] = [];
      const where = whereOf(filter, params);
      params.push(filter.limit);
      const rows = await db.query<Row>(
        `SELECT sku, SUM(units) AS units, SUM(net) AS net, SUM(returned_units) AS returned_units,
           SUM(returns) AS returns
         FROM product_sales_by_hour WHERE ${where}
         GROUP BY sku ORDER BY SUM(${filter.by === 'net' ? 'net' : 'units'}) DESC, sku LIMIT $${params.length}`,
        params,
      );
      return rows.map((row) => ({
        sku: String(row.sku),
        units: toNumber(row.units),
        net: toNumber(row.net),
        returnedUnits: toNumber(row.returned_units),
        returns: toNumber(row.returns),
      }));
    },

    /** Each promotion's use over the window, per currency, most used first. */
    async promotionUsage(filter: ReportFilter & { limit: number }) {
      const params: SqlValue[] = [];
      const where = whereOf(filter, params);
      params.push(filter.limit);
      const rows = await db.query<Row>(
        `SELECT promotion_id, currency, SUM(uses) AS uses, SUM(units) AS units, SUM(discount) AS discount
         FROM promotion_usage_by_hour WHERE ${where}
         GROUP BY promotion_id, currency ORDER BY SUM(uses) DESC, promotion_id, currency
         LIMIT $${params.length}`,
        params,
      );
      return rows.map((row) => ({
        promotionId: String(row.promotion_id),
        currency: String(row.currency),
        uses: toNumber(row.uses),
        units: toNumber(row.units),
        discount: toNumber(row.discount),
      }));
    },
  };
}

export type ReportStore = ReturnType<typeof createReportStore>;
