import type { Migration } from '@tillstream/kernel';

/** Figures are sums in minor units: BIGINT, so a year of a chain's sales cannot overflow a column. */
const figures = `
    gross BIGINT NOT NULL,
    discounts BIGINT NOT NULL,
    net BIGINT NOT NULL,
    tax BIGINT NOT NULL,
    returns BIGINT NOT NULL,
    transactions BIGINT NOT NULL,
    units BIGINT NOT NULL,
    returned_units BIGINT NOT NULL,
    refunds BIGINT NOT NULL`;

/** The same DDL on both dialects. `hour` is `YYYY-MM-DDTHH` in UTC; `location_id` is '' for online sales. */
const initial = `
  CREATE TABLE sales_by_hour (
    hour TEXT NOT NULL,
    channel TEXT NOT NULL,
    location_id TEXT NOT NULL,
    currency TEXT NOT NULL,${figures},
    PRIMARY KEY (hour, channel, location_id, currency)
  );
  CREATE TABLE product_sales_by_hour (
    hour TEXT NOT NULL,
    channel TEXT NOT NULL,
    location_id TEXT NOT NULL,
    currency TEXT NOT NULL,
    sku TEXT NOT NULL,
    units BIGINT NOT NULL,
    net BIGINT NOT NULL,
    returned_units BIGINT NOT NULL,
    returns BIGINT NOT NULL,
    PRIMARY KEY (hour, channel, location_id, currency, sku)
  );
  CREATE TABLE online_order_channels (
    order_id TEXT PRIMARY KEY,
    channel TEXT NOT NULL
  );`;

/** Promotions applied, from the sale and order lines that name them (an optional field since v1). */
const promotionUsage = `
  CREATE TABLE promotion_usage_by_hour (
    hour TEXT NOT NULL,
    channel TEXT NOT NULL,
    location_id TEXT NOT NULL,
    currency TEXT NOT NULL,
    promotion_id TEXT NOT NULL,
    uses BIGINT NOT NULL,
    units BIGINT NOT NULL,
    discount BIGINT NOT NULL,
    PRIMARY KEY (hour, channel, location_id, currency, promotion_id)
  );`;

/**
 * Sums per UTC quarter hour instead of per hour, so that the hours and days of zones offset by a half or a
 * quarter hour (India, Nepal, Adelaide) can be added up. The rows keep their key columns but for `quarter_hour`
 * (`YYYY-MM-DDTHH:MM`); an hour's sums so far move whole into its first quarter hour, since they cannot be
 * split. Copied in the migration's transaction and the old tables dropped in it, with the consumer's inbox and
 * checkpoint untouched, so every event already counted stays counted exactly once and none is counted again.
 * On SQLite the tables are kept in key order (WITHOUT ROWID): a report reads a range of quarter hours.
 */
const quarterHourTables = (tableOptions: string) => `
  CREATE TABLE sales_by_quarter_hour (
    quarter_hour TEXT NOT NULL,
    channel TEXT NOT NULL,
    location_id TEXT NOT NULL,
    currency TEXT NOT NULL,${figures},
    PRIMARY KEY (quarter_hour, channel, location_id, currency)
  )${tableOptions};
  INSERT INTO sales_by_quarter_hour (quarter_hour, channel, location_id, currency, gross, discounts, net, tax,
      returns, transactions, units, returned_units, refunds)
    SELECT hour || ':00', channel, location_id, currency, gross, discounts, net, tax, returns, transactions, units,
      returned_units, refunds
    FROM sales_by_hour;
  DROP TABLE sales_by_hour;
  CREATE TABLE product_sales_by_quarter_hour (
    quarter_hour TEXT NOT NULL,
    channel TEXT NOT NULL,
    location_id TEXT NOT NULL,
    currency TEXT NOT NULL,
    sku TEXT NOT NULL,
    units BIGINT NOT NULL,
    net BIGINT NOT NULL,
    returned_units BIGINT NOT NULL,
    returns BIGINT NOT NULL,
    PRIMARY KEY (quarter_hour, channel, location_id, currency, sku)
  )${tableOptions};
  INSERT INTO product_sales_by_quarter_hour (quarter_hour, channel, location_id, currency, sku, units, net,
      returned_units, returns)
    SELECT hour || ':00', channel, location_id, currency, sku, units, net, returned_units, returns
    FROM product_sales_by_hour;
  DROP TABLE product_sales_by_hour;
  CREATE TABLE promotion_usage_by_quarter_hour (
    quarter_hour TEXT NOT NULL,
    channel TEXT NOT NULL,
    location_id TEXT NOT NULL,
    currency TEXT NOT NULL,
    promotion_id TEXT NOT NULL,
    uses BIGINT NOT NULL,
    units BIGINT NOT NULL,
    discount BIGINT NOT NULL,
    PRIMARY KEY (quarter_hour, channel, location_id, currency, promotion_id)
  )${tableOptions};
  INSERT INTO promotion_usage_by_quarter_hour (quarter_hour, channel, location_id, currency, promotion_id, uses,
      units, discount)
    SELECT hour || ':00', channel, location_id, currency, promotion_id, uses, units, discount
    FROM promotion_usage_by_hour;
  DROP TABLE promotion_usage_by_hour;`;

/**
 * PostgreSQL: locked before the copy, so that a consumer still running the code of before (another instance,
 * mid-upgrade) cannot commit sums to an hour table after its rows were copied: its transaction waits, then
 * fails on the dropped table and rolls back with its inbox rows, and the event is retried, not lost.
 * SQLite has one writer at a time, and the migration is it.
 */
const lockHourTables = `
  LOCK TABLE sales_by_hour, product_sales_by_hour, promotion_usage_by_hour IN ACCESS EXCLUSIVE MODE;`;

/**
 * Tax given back by store returns, kept apart from `tax` as `returns` is from `net`. Sums from before count
 * none: neither the POS return events then counted nor ERP published the tax it booked.
 */
const returnsTax = `ALTER TABLE sales_by_quarter_hour ADD COLUMN returns_tax BIGINT NOT NULL DEFAULT 0;`;

/**
 * The time zone each store keeps, from ERP's `erp.location.upserted` (newest version wins): a report of one store
 * counts in its hours and days unless it names a zone. `time_zone` is null for a location that names none.
 */
const storeTimeZones = `
  CREATE TABLE store_time_zones (
    location_id TEXT PRIMARY KEY,
    time_zone TEXT,
    version BIGINT NOT NULL
  );`;

/**
 * What an online order took and the tax in it (all of it, and the part added on top), so that a refund gives
 * back its share of the tax as ERP's journal books it. Null for orders remembered before: their refunds, as
 * before, count whole as returns.
 */
const onlineOrderTaxes = `
  ALTER TABLE online_order_channels ADD COLUMN total BIGINT;
  ALTER TABLE online_order_channels ADD COLUMN tax BIGINT;
  ALTER TABLE online_order_channels ADD COLUMN added_tax BIGINT;`;

/**
 * Goods and tax per tax rate, what a VAT return asks, beside the buckets' sums and added to in the same
 * transaction, so a bucket's rates always add up to its `tax` and `returns_tax`. Keyed by channel, location and
 * currency before the quarter hour: the report reads the rates of each row it answers, one range of quarter
 * hours of one key each. `rate_ppm` -1 is unknown: the sums of before, whose rates were never kept, move there
 * whole (their tax, with no net: the net without tax was not kept either), so every figure stays counted
 * once. An online order remembers its goods per rate (`tax_rates`, JSON) to split its refunds as ERP does.
 */
const taxByRate = (tableOptions: string) => `
  CREATE TABLE sales_tax_by_quarter_hour (
    channel TEXT NOT NULL,
    location_id TEXT NOT NULL,
    currency TEXT NOT NULL,
    quarter_hour TEXT NOT NULL,
    rate_ppm INTEGER NOT NULL,
    net BIGINT NOT NULL,
    tax BIGINT NOT NULL,
    returns_net BIGINT NOT NULL,
    returns_tax BIGINT NOT NULL,
    PRIMARY KEY (channel, location_id, currency, quarter_hour, rate_ppm)
  )${tableOptions};
  INSERT INTO sales_tax_by_quarter_hour (channel, location_id, currency, quarter_hour, rate_ppm, net, tax,
      returns_net, returns_tax)
    SELECT channel, location_id, currency, quarter_hour, -1, 0, tax, 0, returns_tax
    FROM sales_by_quarter_hour WHERE tax <> 0 OR returns_tax <> 0;
  ALTER TABLE online_order_channels ADD COLUMN tax_rates TEXT;`;

/**
 * PostgreSQL: no consumer may add to a bucket between the copy and the commit (its tax would miss its rate):
 * a writer waits for the migration, readers do not.
 */
const lockBuckets = `LOCK TABLE sales_by_quarter_hour IN SHARE MODE;`;

/**
 * What each online order's delivery cost, so that its refunds count only the goods' share as returns (their
 * tax, the delivery's included, is given back as ERP's journal gives it). Orders remembered before had none.
 */
const onlineOrderShipping = `ALTER TABLE online_order_channels ADD COLUMN shipping BIGINT NOT NULL DEFAULT 0;`;

/**
 * Each online order's charged delivery apart from its goods (`delivery_tax`, JSON: its rate, net and tax), so
 * that a refund naming the delivery gives its tax back at the delivery's rate, as ERP's journal does. JSON
 * `null` is an order known to have none; SQL NULL an order remembered before, whose delivery was merged into
 * its rates and cannot be told apart: its refunds split over all its rates in proportion, as they did.
 */
const onlineOrderDelivery = `ALTER TABLE online_order_channels ADD COLUMN delivery_tax TEXT;`;

export const analyticsMigrations: readonly Migration[] = [
  { id: '001_sales_by_hour', up: initial },
  { id: '002_promotion_usage_by_hour', up: promotionUsage },
  {
    id: '003_sales_by_quarter_hour',
    up: { sqlite: quarterHourTables(' WITHOUT ROWID'), postgres: lockHourTables + quarterHourTables('') },
  },
  { id: '004_returns_tax', up: returnsTax },
  { id: '005_store_time_zones', up: storeTimeZones },
  { id: '006_online_order_taxes', up: onlineOrderTaxes },
  {
    id: '007_sales_tax_by_rate',
    up: { sqlite: taxByRate(' WITHOUT ROWID'), postgres: lockBuckets + taxByRate('') },
  },
  { id: '008_online_order_shipping', up: onlineOrderShipping },
  {
    // Where an online order counts: the store its shopper collects at (click and collect), so its refunds and
    // returns count there too. Orders remembered before count online (null), where they were counted.
    id: '009_online_order_location',
    up: 'ALTER TABLE online_order_channels ADD COLUMN location_id TEXT;',
  },
  { id: '010_online_order_delivery', up: onlineOrderDelivery },
];
