import type { Db, SqlValue } from '@tillstream/kernel';
import type { ReportBucket, Window } from './report-period.decide.js';
import type { SalesFigures } from './sales.decide.js';
import { FIGURES, UNKNOWN_RATE } from './sales.store.js';
import type { RateFigures } from './tax-rates.decide.js';

const COLUMNS = FIGURES.map(([, column]) => column);

/** A rate's sums in the columns of the row's figures they sit beside in one result; the rest are null. */
const RATE_COLUMNS: Partial<Record<(typeof COLUMNS)[number], string>> = {
  net: 'net',
  tax: 'tax',
  returns: 'returns_net',
  returns_tax: 'returns_tax',
};

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
  params.push(filter.fromQuarterHour, filter.toQuarterHour);
  const window = `quarter_hour >= $${params.length - 1} AND quarter_hour < $${params.length}`;
  return [window, ...filterClauses(filter, params)].join(' AND ');
}

/** The channel, location and currency a report is narrowed to, as `WHERE` clauses. */
function filterClauses(filter: Omit<ReportFilter, keyof Window>, params: SqlValue[]): string[] {
  const clauses: string[] = [];
  for (const [column, value] of [
    ['channel', filter.channel],
    ['location_id', filter.locationId],
    ['currency', filter.currency],
  ] as const) {
    if (value === undefined) continue;
    params.push(value);
    clauses.push(`${column} = $${params.length}`);
  }
  return clauses;
}

const toNumber = (value: Row[string] | undefined) => Number(value ?? 0);

/**
 * The report's rows, each followed by its rates (`part` 1), into rows with their `taxByRate`: in rate order,
 * unknown last, those whose sums came to nothing left out.
 */
function pageOf(rows: readonly Row[]) {
  const page: Array<{ key: string[]; figures: SalesFigures; taxByRate: RateFigures[] }> = [];
  for (const row of rows) {
    if (toNumber(row.part) === 0) {
      page.push({
        key: [String(row.period), String(row.channel), String(row.location_id), String(row.currency)],
        figures: Object.fromEntries(
          FIGURES.map(([field, column]) => [field, toNumber(row[column])]),
        ) as unknown as SalesFigures,
        taxByRate: [],
      });
      continue;
    }
    const ratePpm = toNumber(row.rate_ppm);
    const rate = {
      ratePpm: ratePpm === UNKNOWN_RATE ? null : ratePpm,
      net: toNumber(row.net),
      tax: toNumber(row.tax),
      returnsNet: toNumber(row.returns),
      returnsTax: toNumber(row.returns_tax),
    };
    if (rate.net !== 0 || rate.tax !== 0 || rate.returnsNet !== 0 || rate.returnsTax !== 0)
      page.at(-1)!.taxByRate.push(rate);
  }
  for (const row of page) row.taxByRate.sort((a, b) => (a.ratePpm ?? Infinity) - (b.ratePpm ?? Infinity));
  return page;
}

/** Reads of the sums the consumer keeps: committed data only, outside its transactions. */
export function createReportStore(db: Db) {
  return {
    /** The time zone ERP's location names for a store; null if it names none or analytics has not seen it. */
    async storeTimeZone(locationId: string): Promise<string | null> {
      const rows = await db.query<{ time_zone: string | null }>(
        'SELECT time_zone FROM store_time_zones WHERE location_id = $1',
        [locationId],
      );
      return rows[0]?.time_zone ?? null;
    },

    /**
     * Sums per bucket, channel, location and currency, in that order, after `after` (the last row's key of the
     * page before), at most `limit` rows. A row's key starts with its bucket's first quarter hour. The buckets
     * come as a list of quarter-hour ranges (a local day is not a UTC day), and each reads its own range of
     * the table's key, so a report reads each quarter hour of its period once. Each dialect is told to:
     * SQLite keeps to the order of a CROSS JOIN, PostgreSQL searches the key per row of a LATERAL join (as a
     * plain join it scanned the whole table for a few days' report). Bounds of the whole period in the WHERE
     * made SQLite search the whole period for every bucket instead.
     */
    async sales(
      filter: Omit<ReportFilter, keyof Window> & {
        buckets: readonly ReportBucket[];
        after: string[] | null;
        limit: number;
      },
    ): Promise<Array<{ key: string[]; figures: SalesFigures; taxByRate: RateFigures[] }>> {
      const { after } = filter;
      // A later page's buckets start at or after the last row's: the others have nothing left to give.
      const buckets = filter.buckets.filter((bucket) => !after || bucket.starts >= after[0]!);
      if (buckets.length === 0) return [];
      const params: SqlValue[] = [];
      const ranges = buckets.map(({ starts, ends }) => {
        params.push(starts, ends);
        return `(CAST($${params.length - 1} AS TEXT), CAST($${params.length} AS TEXT))`;
      });
      const where = ['quarter_hour >= buckets.starts', 'quarter_hour < buckets.ends'];
      where.push(...filterClauses(filter, params));
      if (after) {
        params.push(...after);
        const at = params.length - 3;
        where.push(
          `(buckets.starts, channel, location_id, currency) > ($${at}, $${at + 1}, $${at + 2}, $${at + 3})`,
        );
      }
      params.push(filter.limit);
      const sums = COLUMNS.map((column) => `SUM(${column}) AS ${column}`).join(', ');
      const perBucket =
        db.dialect === 'postgres'
          ? `SELECT buckets.starts AS period, buckets.ends AS period_end, sums.* FROM buckets CROSS JOIN LATERAL (
               SELECT channel, location_id, currency, ${sums} FROM sales_by_quarter_hour
               WHERE ${where.join(' AND ')} GROUP BY channel, location_id, currency) AS sums`
          : `SELECT buckets.starts AS period, buckets.ends AS period_end, channel, location_id, currency, ${sums}
             FROM buckets CROSS JOIN sales_by_quarter_hour
             WHERE ${where.join(' AND ')} GROUP BY buckets.starts, buckets.ends, channel, location_id, currency`;
      // Each row's rates, in the same statement so that they are of the same snapshot and add up to its tax:
      // per row of the page, its own key's range of quarter hours. Each dialect is told to: SQLite reads the
      // page first by CROSS JOIN, PostgreSQL by LATERAL (as a join it hashed the whole table, 6 times slower).
      const rateSums = (table: string) =>
        COLUMNS.map((column) =>
          RATE_COLUMNS[column] ? `SUM(${table}${RATE_COLUMNS[column]})` : 'CAST(NULL AS BIGINT)',
        ).join(', ');
      const ofRow =
        't.channel = page.channel AND t.location_id = page.location_id AND t.currency = page.currency ' +
        'AND t.quarter_hour >= page.period AND t.quarter_hour < page.period_end';
      const rates =
        db.dialect === 'postgres'
          ? `SELECT 1, page.period, page.channel, page.location_id, page.currency, rates.* FROM page
             CROSS JOIN LATERAL (SELECT t.rate_ppm, ${rateSums('t.')} FROM sales_tax_by_quarter_hour t
               WHERE ${ofRow} GROUP BY t.rate_ppm) AS rates`
          : `SELECT 1, page.period, page.channel, page.location_id, page.currency, t.rate_ppm, ${rateSums('t.')}
             FROM page CROSS JOIN sales_tax_by_quarter_hour t WHERE ${ofRow}
             GROUP BY page.period, page.channel, page.location_id, page.currency, t.rate_ppm`;
      const rows = await db.query<Row>(
        `WITH buckets (starts, ends) AS (VALUES ${ranges.join(', ')}),
         page AS MATERIALIZED (${perBucket} ORDER BY period, channel, location_id, currency
           LIMIT $${params.length})
         SELECT 0 AS part, period, channel, location_id, currency, CAST(NULL AS INTEGER) AS rate_ppm,
           ${COLUMNS.join(', ')} FROM page
         UNION ALL ${rates}
         ORDER BY 2, 3, 4, 5, 1, 6`,
        params,
      );
      return pageOf(rows);
    },

    /** Each SKU's sums over the window in one currency, best first by `by`, then by SKU. */
    async topProducts(filter: ReportFilter & { currency: string; by: 'units' | 'net'; limit: number }) {
      const params: SqlValue[] = [];
      const where = whereOf(filter, params);
      params.push(filter.limit);
      const rows = await db.query<Row>(
        `SELECT sku, SUM(units) AS units, SUM(net) AS net, SUM(returned_units) AS returned_units,
           SUM(returns) AS returns
         FROM product_sales_by_quarter_hour WHERE ${where}
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
         FROM promotion_usage_by_quarter_hour WHERE ${where}
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
