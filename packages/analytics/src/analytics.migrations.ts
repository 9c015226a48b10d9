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

export const analyticsMigrations: readonly Migration[] = [
  { id: '001_sales_by_hour', up: initial },
  { id: '002_promotion_usage_by_hour', up: promotionUsage },
];
