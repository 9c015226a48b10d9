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
  {
    // Channel availability (locations, safety stock, kit compositions) and the change feed the catalog
    // cache of every instance follows. `catalog_revision` is one row: each projection transaction bumps
    // it under a row lock, so revisions commit in order and "changes after N" never skips one. The projection
    // now keeps locations it used to skip, so the embedded engine reads ERP's log again from the start
    // (re-applied events are no-ops under the newer-version rule; a fresh database has nothing to forget).
    id: '003_catalog_channels',
    up: `
      ALTER TABLE catalog_products ADD COLUMN components TEXT;
      CREATE TABLE catalog_locations (
        location_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        version INTEGER NOT NULL
      );
      CREATE TABLE catalog_channels (
        channel TEXT PRIMARY KEY,
        locations TEXT NOT NULL,
        safety_stock BIGINT NOT NULL,
        version INTEGER NOT NULL
      );
      CREATE TABLE catalog_revision (
        id INTEGER PRIMARY KEY,
        revision BIGINT NOT NULL
      );
      INSERT INTO catalog_revision (id, revision) VALUES (1, 0);
      CREATE TABLE catalog_changes (
        key TEXT PRIMARY KEY,
        revision BIGINT NOT NULL
      );
      CREATE INDEX catalog_changes_revision ON catalog_changes (revision);
      DELETE FROM inbox WHERE consumer = 'commerce.catalog';
      DELETE FROM consumer_checkpoints WHERE consumer = 'commerce.catalog';`,
  },
  {
    // Abandoned carts expire; orders record refunds, returns and the lines still waiting for stock.
    id: '004_order_lifecycle',
    up: `
      CREATE INDEX carts_abandoned ON carts (status, updated_at);
      ALTER TABLE orders ADD COLUMN refunded BIGINT NOT NULL DEFAULT 0;
      ALTER TABLE orders ADD COLUMN backordered TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE orders ADD COLUMN backorder_version INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE order_refunds (
        id TEXT NOT NULL,
        order_id TEXT NOT NULL,
        amount BIGINT NOT NULL,
        reason TEXT NOT NULL,
        return_id TEXT,
        request_hash TEXT NOT NULL,
        status TEXT NOT NULL,
        reference TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (order_id, id)
      );
      CREATE TABLE order_returns (
        id TEXT NOT NULL,
        order_id TEXT NOT NULL,
        location_id TEXT,
        lines TEXT NOT NULL,
        refund_amount BIGINT NOT NULL,
        request_hash TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (order_id, id)
      );`,
  },
];
