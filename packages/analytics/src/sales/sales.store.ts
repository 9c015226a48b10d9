import type { Db, SqlValue, Tx } from '@tillstream/kernel';
import type { BatchTotals } from './batch.decide.js';
import type { Window } from './buckets.decide.js';
import type { SalesFigures } from './sales.decide.js';

const FIGURES = [
  ['gross', 'gross'],
  ['discounts', 'discounts'],
  ['net', 'net'],
  ['tax', 'tax'],
  ['returns', 'returns'],
  ['transactions', 'transactions'],
  ['units', 'units'],
  ['returnedUnits', 'returned_units'],
  ['refunds', 'refunds'],
] as const satisfies ReadonlyArray<readonly [keyof SalesFigures, string]>;

const COLUMNS = FIGURES.map(([, column]) => column);
const ADD_BUCKET = `
  INSERT INTO sales_by_hour (hour, channel, location_id, currency, ${COLUMNS.join(', ')})
  VALUES ($1, $2, $3, $4, ${COLUMNS.map((_, index) => `$${index + 5}`).join(', ')})
  ON CONFLICT (hour, channel, location_id, currency) DO UPDATE SET
  ${COLUMNS.map((column) => `${column} = sales_by_hour.${column} + excluded.${column}`).join(', ')}`;
const ADD_PRODUCT = `
  INSERT INTO product_sales_by_hour (hour, channel, location_id, currency, sku, units, net, returned_units, returns)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
  ON CONFLICT (hour, channel, location_id, currency, sku) DO UPDATE SET
    units = product_sales_by_hour.units + excluded.units, net = product_sales_by_hour.net + excluded.net,
    returned_units = product_sales_by_hour.returned_units + excluded.returned_units,
    returns = product_sales_by_hour.returns + excluded.returns`;

const ADD_PROMOTION = `
  INSERT INTO promotion_usage_by_hour (hour, channel, location_id, currency, promotion_id, uses, units, discount)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
  ON CONFLICT (hour, channel, location_id, currency, promotion_id) DO UPDATE SET
    uses = promotion_usage_by_hour.uses + excluded.uses, units = promotion_usage_by_hour.units + excluded.units,
    discount = promotion_usage_by_hour.discount + excluded.discount`;

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

/** The rows behind the sales and product reports; every write adds to what a bucket holds. */
export function createSalesStore(db: Db) {
  return {
    async add(tx: Tx, totals: BatchTotals): Promise<void> {
      for (const { key, figures } of totals.buckets.values())
        await tx.execute(ADD_BUCKET, [
          key.hour,
          key.channel,
          key.locationId,
          key.currency,
          ...FIGURES.map(([field]) => figures[field]),
        ]);
      for (const { key, product } of totals.products.values())
        await tx.execute(ADD_PRODUCT, [
          key.hour,
          key.channel,
          key.locationId,
          key.currency,
          product.sku,
          product.units,
          product.net,
          product.returnedUnits,
          product.returns,
        ]);
      for (const { key, promotion } of totals.promotions.values())
        await tx.execute(ADD_PROMOTION, [
          key.hour,
          key.channel,
          key.locationId,
          key.currency,
          promotion.promotionId,
          promotion.uses,
          promotion.units,
          promotion.discount,
        ]);
    },

    async rememberOrderChannel(tx: Tx, orderId: string, channel: string): Promise<void> {
      await tx.execute(
        'INSERT INTO online_order_channels (order_id, channel) VALUES ($1, $2) ON CONFLICT DO NOTHING',
        [orderId, channel],
      );
    },

    async orderChannel(tx: Tx, orderId: string): Promise<string | null> {
      const rows = await tx.query<{ channel: string }>(
        'SELECT channel FROM online_order_channels WHERE order_id = $1',
        [orderId],
      );
      return rows[0]?.channel ?? null;
    },

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

export type SalesStore = ReturnType<typeof createSalesStore>;
