import type { Migration } from '@tillstream/kernel';

export const commerceMigrations: Migration[] = [
  {
    id: '001_catalog_projection',
    up: `
      CREATE TABLE catalog_products (
        sku TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        price_amount BIGINT NOT NULL,
        currency TEXT NOT NULL,
        kind TEXT NOT NULL,
        backorderable INTEGER NOT NULL,
        version INTEGER NOT NULL
      );
      CREATE TABLE stock_levels (
        sku TEXT NOT NULL,
        location_id TEXT NOT NULL,
        available BIGINT NOT NULL,
        version INTEGER NOT NULL,
        PRIMARY KEY (sku, location_id)
      );`,
  },
  {
    id: '002_carts_orders',
    up: `
      CREATE TABLE carts (
        id TEXT PRIMARY KEY,
        channel TEXT NOT NULL,
        currency TEXT NOT NULL,
        status TEXT NOT NULL,
        lines TEXT NOT NULL,
        coupon_codes TEXT NOT NULL,
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE orders (
        id TEXT PRIMARY KEY,
        cart_id TEXT NOT NULL UNIQUE,
        reservation_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        email TEXT NOT NULL,
        currency TEXT NOT NULL,
        lines TEXT NOT NULL,
        total BIGINT NOT NULL,
        payment_method TEXT NOT NULL,
        payment_reference TEXT NOT NULL,
        status TEXT NOT NULL,
        version INTEGER NOT NULL,
        placed_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );`,
  },
];
