import type { Db, SqlValue } from '@tillstream/kernel';
import type { ReportBucket, Window } from './report-period.decide.js';
import type { SalesFigures } from './sales.decide.js';
import { FIGURES, UNKNOWN_RATE } from './sales.store.js';
import type { RateFigures } from './tax-rates.decide.js';

const COLUMNS = FIGURES.map(([, column]) => column);

/** A summed report row as the database answers it: sums come back as text or bigint on PostgreSQL. */
type Row = Record<string, string | number | bigint | null>;

/** A bucket of one of a report's zones: `group` indexes the zone (0 when the report has one). */
export type ZonedBucket = ReportBucket & { group?: number };

/** Filters every report takes; absent means all. */
export interface ReportFilter extends Window {
  channel?: string | undefined;
  locationId?: string | undefined;
  currency?: string | undefined;
  /** A report that counts each store in its own zone: the window in each zone, and each store's zone. */
  zones?: { windows: readonly Window[]; groupOf: ReadonlyMap<string, number> } | undefined;
}

/**
 * The zone index of a row's store, as SQL: a report that counts each store in its own zone lists the stores of
 * zones other than 0; the rest (online sales among them) are zone 0's.
 */
function zoneOfRow(groupOf: ReadonlyMap<string, number>, params: SqlValue[]): string {
  const cases = [...groupOf].map(([locationId, group]) => {
    params.push(locationId);
    return `WHEN $${params.length} THEN ${Number(group)}`;
  });
  return `(CASE location_id ${cases.join(' ')} ELSE 0 END)`;
}

/**
 * `WHERE` of a window and its filters, numbering parameters after `params`. With `zones`, each store's rows
 * count in its own zone's window (`windows[group]`): the key is searched over the span of them all.
 */
function whereOf(filter: ReportFilter, params: SqlValue[]): string {
  const { zones } = filter;
  if (!zones || zones.groupOf.size === 0) {
    params.push(filter.fromQuarterHour, filter.toQuarterHour);
    const window = `quarter_hour >= $${params.length - 1} AND quarter_hour < $${params.length}`;
    return [window, ...filterClauses(filter, params)].join(' AND ');
  }
  const froms = zones.windows.map((window) => window.fromQuarterHour).sort();
  const tos = zones.windows.map((window) => window.toQuarterHour).sort();
  params.push(froms[0]!, tos.at(-1)!);
  const span = `quarter_hour >= $${params.length - 1} AND quarter_hour < $${params.length}`;
  const zoneOf = zoneOfRow(zones.groupOf, params);
  const each = zones.windows.map(({ fromQuarterHour, toQuarterHour }, group) => {
    params.push(fromQuarterHour, toQuarterHour);
    return `(${zoneOf} = ${group} AND quarter_hour >= $${params.length - 1} AND quarter_hour < $${params.length})`;
  });
  return [span, `(${each.join(' OR ')})`, ...filterClauses(filter, params)].join(' AND ');
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

/** A row's rates as `[ratePpm, net, tax, returnsNet, returnsTax]`: JSON text on SQLite, parsed on PostgreSQL. */
type RateSums = Array<Array<number | string>>;

/**
 * A report row and its rates, as the API shows them: in rate order, unknown last, those whose sums came to
 * nothing left out (PostgreSQL gives null for a row without rates, SQLite an empty array).
 */
function rowOf(row: Row & { rates: unknown }) {
  const listed = (typeof row.rates === 'string' ? JSON.parse(row.rates) : row.rates) as RateSums | null;
  const taxByRate: RateFigures[] = (listed ?? [])
    .map(([ratePpm, net, tax, returnsNet, returnsTax]) => ({
      ratePpm: Number(ratePpm) === UNKNOWN_RATE ? null : Number(ratePpm),
      net: Number(net),
      tax: Number(tax),
      returnsNet: Number(returnsNet),
      returnsTax: Number(returnsTax),
    }))
    .filter((rate) => rate.net !== 0 || rate.tax !== 0 || rate.returnsNet !== 0 || rate.returnsTax !== 0)
    .sort((a, b) => (a.ratePpm ?? Infinity) - (b.ratePpm ?? Infinity));
  return {
    key: [String(row.period), String(row.channel), String(row.location_id), String(row.currency)],
    figures: Object.fromEntries(
      FIGURES.map(([field, column]) => [field, toNumber(row[column])]),
    ) as unknown as SalesFigures,
    taxByRate,
  };
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

    /** Every store whose ERP location names a time zone, with it. */
    async storeTimeZones(): Promise<Array<{ locationId: string; timeZone: string }>> {
      const rows = await db.query<{ location_id: string; time_zone: string }>(
        'SELECT location_id, time_zone FROM store_time_zones WHERE time_zone IS NOT NULL ORDER BY location_id',
      );
      return rows.map((row) => ({ locationId: row.location_id, timeZone: row.time_zone }));
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
        buckets: readonly ZonedBucket[];
        /** For buckets of several zones: each store's zone (`group`); those not listed count in zone 0. */
        groupOf?: ReadonlyMap<string, number> | undefined;
        after: string[] | null;
        limit: number;
      },
    ): Promise<Array<{ key: string[]; figures: SalesFigures; taxByRate: RateFigures[] }>> {
      const { after } = filter;
      // A later page's buckets start at or after the last row's: the others have nothing left to give.
      const buckets = filter.buckets.filter((bucket) => !after || bucket.starts >= after[0]!);
      if (buckets.length === 0) return [];
      const params: SqlValue[] = [];
      const ranges = buckets.map(({ starts, ends, group = 0 }) => {
        params.push(starts, ends, group);
        const at = params.length - 2;
        return `(CAST($${at} AS TEXT), CAST($${at + 1} AS TEXT), CAST($${at + 2} AS INTEGER))`;
      });
      const where = ['quarter_hour >= buckets.starts', 'quarter_hour < buckets.ends'];
      // A store's rows count in its own zone's buckets only; online sales and stores naming none in zone 0's.
      if (filter.groupOf && filter.groupOf.size > 0)
        where.push(`buckets.grp = ${zoneOfRow(filter.groupOf, params)}`);
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
      // per row of the page, its own key's range of quarter hours summed per rate, as one JSON array. Summed
      // per row, not joined and grouped over the page: grouping a month of 20 stores' rates at once took
      // SQLite 2.5 times as long, and PostgreSQL hashed the whole table for it.
      const ratesOfRow = `SELECT t.rate_ppm, SUM(t.net) AS net, SUM(t.tax) AS tax, SUM(t.returns_net) AS returns_net,
          SUM(t.returns_tax) AS returns_tax
        FROM sales_tax_by_quarter_hour t
        WHERE t.channel = page.channel AND t.location_id = page.location_id AND t.currency = page.currency
          AND t.quarter_hour >= page.period AND t.quarter_hour < page.period_end
        GROUP BY t.rate_ppm`;
      const rate = 'r.rate_ppm, r.net, r.tax, r.returns_net, r.returns_tax';
      const rates =
        db.dialect === 'postgres'
          ? `(SELECT json_agg(json_build_array(${rate})) FROM (${ratesOfRow}) AS r)`
          : `(SELECT json_group_array(json_array(${rate})) FROM (${ratesOfRow}) AS r)`;
      const rows = await db.query<Row & { rates: unknown }>(
        `WITH buckets (starts, ends, grp) AS (VALUES ${ranges.join(', ')}),
         page AS MATERIALIZED (${perBucket} ORDER BY period, channel, location_id, currency
           LIMIT $${params.length})
         SELECT page.*, ${rates} AS rates FROM page ORDER BY period, channel, location_id, currency`,
        params,
      );
      return rows.map(rowOf);
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
