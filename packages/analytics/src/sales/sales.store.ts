import type { Tx } from '@tillstream/kernel';
import type { BatchTotals } from './batch.decide.js';
import type { OrderTaken, SalesFigures } from './sales.decide.js';
import type { OrderRate } from './tax-rates.decide.js';

export const FIGURES = [
  ['gross', 'gross'],
  ['discounts', 'discounts'],
  ['net', 'net'],
  ['tax', 'tax'],
  ['returns', 'returns'],
  ['returnsTax', 'returns_tax'],
  ['transactions', 'transactions'],
  ['units', 'units'],
  ['returnedUnits', 'returned_units'],
  ['refunds', 'refunds'],
] as const satisfies ReadonlyArray<readonly [keyof SalesFigures, string]>;

const COLUMNS = FIGURES.map(([, column]) => column);
const ADD_BUCKET = `
  INSERT INTO sales_by_quarter_hour (quarter_hour, channel, location_id, currency, ${COLUMNS.join(', ')})
  VALUES ($1, $2, $3, $4, ${COLUMNS.map((_, index) => `$${index + 5}`).join(', ')})
  ON CONFLICT (quarter_hour, channel, location_id, currency) DO UPDATE SET
  ${COLUMNS.map((column) => `${column} = sales_by_quarter_hour.${column} + excluded.${column}`).join(', ')}`;
const ADD_PRODUCT = `
  INSERT INTO product_sales_by_quarter_hour
    (quarter_hour, channel, location_id, currency, sku, units, net, returned_units, returns)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
  ON CONFLICT (quarter_hour, channel, location_id, currency, sku) DO UPDATE SET
    units = product_sales_by_quarter_hour.units + excluded.units,
    net = product_sales_by_quarter_hour.net + excluded.net,
    returned_units = product_sales_by_quarter_hour.returned_units + excluded.returned_units,
    returns = product_sales_by_quarter_hour.returns + excluded.returns`;

/** `rate_ppm` is -1 for an unknown rate: a key column cannot be null on PostgreSQL, nor match in ON CONFLICT. */
export const UNKNOWN_RATE = -1;
const ADD_RATE = `
  INSERT INTO sales_tax_by_quarter_hour
    (channel, location_id, currency, quarter_hour, rate_ppm, net, tax, returns_net, returns_tax)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
  ON CONFLICT (channel, location_id, currency, quarter_hour, rate_ppm) DO UPDATE SET
    net = sales_tax_by_quarter_hour.net + excluded.net,
    tax = sales_tax_by_quarter_hour.tax + excluded.tax,
    returns_net = sales_tax_by_quarter_hour.returns_net + excluded.returns_net,
    returns_tax = sales_tax_by_quarter_hour.returns_tax + excluded.returns_tax`;

const ADD_PROMOTION = `
  INSERT INTO promotion_usage_by_quarter_hour
    (quarter_hour, channel, location_id, currency, promotion_id, uses, units, discount)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
  ON CONFLICT (quarter_hour, channel, location_id, currency, promotion_id) DO UPDATE SET
    uses = promotion_usage_by_quarter_hour.uses + excluded.uses,
    units = promotion_usage_by_quarter_hour.units + excluded.units,
    discount = promotion_usage_by_quarter_hour.discount + excluded.discount`;

/**
 * Rows in one order for every writer: two instances adding batches that share buckets then lock those rows in
 * the same order and wait for each other on PostgreSQL instead of deadlocking.
 */
const inKeyOrder = <Row>(rows: ReadonlyMap<string, Row>): Row[] =>
  [...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);

/** Writes the sums the reports read; every write adds to what a bucket holds. */
export function createSalesStore() {
  return {
    async add(tx: Tx, totals: BatchTotals): Promise<void> {
      for (const { key, figures } of inKeyOrder(totals.buckets))
        await tx.execute(ADD_BUCKET, [
          key.quarterHour,
          key.channel,
          key.locationId,
          key.currency,
          ...FIGURES.map(([field]) => figures[field]),
        ]);
      for (const { key, product } of inKeyOrder(totals.products))
        await tx.execute(ADD_PRODUCT, [
          key.quarterHour,
          key.channel,
          key.locationId,
          key.currency,
          product.sku,
          product.units,
          product.net,
          product.returnedUnits,
          product.returns,
        ]);
      for (const { key, promotion } of inKeyOrder(totals.promotions))
        await tx.execute(ADD_PROMOTION, [
          key.quarterHour,
          key.channel,
          key.locationId,
          key.currency,
          promotion.promotionId,
          promotion.uses,
          promotion.units,
          promotion.discount,
        ]);
      for (const { key, rate } of inKeyOrder(totals.rates))
        await tx.execute(ADD_RATE, [
          key.channel,
          key.locationId,
          key.currency,
          key.quarterHour,
          rate.ratePpm ?? UNKNOWN_RATE,
          rate.net,
          rate.tax,
          rate.returnsNet,
          rate.returnsTax,
        ]);
    },

    async rememberOrder(tx: Tx, orderId: string, order: OrderTaken): Promise<void> {
      await tx.execute(
        `INSERT INTO online_order_channels (order_id, channel, total, tax, added_tax, shipping, tax_rates,
           location_id, delivery_tax)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
        [
          orderId,
          order.channel,
          order.total,
          order.tax,
          order.addedTax,
          order.shipping,
          JSON.stringify(order.rates),
          order.locationId,
          // JSON 'null' for an order known to have no delivery; SQL NULL only for one remembered before.
          order.delivery === undefined ? null : JSON.stringify(order.delivery),
        ],
      );
    },

    /** A location's time zone as of its `version`; an older version arriving late changes nothing. */
    async rememberStoreTimeZone(
      tx: Tx,
      location: { locationId: string; timeZone: string | null; version: number },
    ): Promise<void> {
      await tx.execute(
        `INSERT INTO store_time_zones (location_id, time_zone, version) VALUES ($1, $2, $3)
         ON CONFLICT (location_id) DO UPDATE SET time_zone = excluded.time_zone, version = excluded.version
         WHERE store_time_zones.version < excluded.version`,
        [location.locationId, location.timeZone, location.version],
      );
    },

    async orderTaken(tx: Tx, orderId: string): Promise<OrderTaken | null> {
      const [row] = await tx.query<{
        channel: string;
        total: unknown;
        tax: unknown;
        added_tax: unknown;
        shipping: unknown;
        tax_rates: string | null;
        location_id: string | null;
        delivery_tax: string | null;
      }>(
        `SELECT channel, total, tax, added_tax, shipping, tax_rates, location_id, delivery_tax
         FROM online_order_channels WHERE order_id = $1`,
        [orderId],
      );
      if (!row) return null;
      return {
        channel: row.channel,
        locationId: row.location_id ?? '',
        total: row.total === null ? null : Number(row.total),
        tax: Number(row.tax ?? 0),
        addedTax: Number(row.added_tax ?? 0),
        shipping: Number(row.shipping ?? 0),
        rates: row.tax_rates === null ? null : (JSON.parse(row.tax_rates) as OrderRate[]),
        delivery: row.delivery_tax === null ? undefined : (JSON.parse(row.delivery_tax) as OrderRate | null),
      };
    },
  };
}

export type SalesStore = ReturnType<typeof createSalesStore>;
