import type { Migration } from '@tillstream/kernel';

/** The feed's table, clustered by its key where the engine can (SQLite's WITHOUT ROWID). */
const appendOnlyFeed = (tableOptions: string) => `
  DROP TABLE catalog_changes;
  CREATE TABLE catalog_changes (
    revision BIGINT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (revision, key)
  )${tableOptions};
  ALTER TABLE catalog_revision ADD COLUMN pruned_through BIGINT NOT NULL DEFAULT 0;
  UPDATE catalog_revision SET pruned_through = revision;
  DELETE FROM inbox WHERE consumer = 'commerce.catalog';`;

const orderListIndexes = (emailKey: string) => `
  CREATE INDEX orders_placed ON orders (placed_at, id);
  CREATE INDEX orders_status_placed ON orders (status, placed_at, id);
  CREATE INDEX orders_email_placed ON orders (${emailKey}, placed_at, id);`;

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
  {
    // The change feed becomes an append-only log, pruned from its old end: a key's row was updated in
    // place, which rewrote a page of the table and a page of the revision index wherever the key's previous
    // entry lay (two random pages a stock change); now every change appends. Readers behind the pruned end
    // reload everything, so the old feed's rows are not carried over. The projection keeps no inbox any more
    // (its upserts are version-guarded): its rows there are dropped.
    id: '005_append_only_change_feed',
    up: { sqlite: appendOnlyFeed(' WITHOUT ROWID'), postgres: appendOnlyFeed('') },
  },
  {
    // Every stock change upserts a level and the storefront re-reads it by SKU: clustered by its key, that is
    // one tree where a rowid table went through the key's index to the row. SQLite only (see ERP's 010).
    id: '006_cluster_levels_by_key',
    up: {
      sqlite: `
        CREATE TABLE stock_levels_by_key (
          sku TEXT NOT NULL,
          location_id TEXT NOT NULL,
          available BIGINT NOT NULL,
          version INTEGER NOT NULL,
          PRIMARY KEY (sku, location_id)
        ) WITHOUT ROWID;
        INSERT INTO stock_levels_by_key SELECT sku, location_id, available, version FROM stock_levels;
        DROP TABLE stock_levels;
        ALTER TABLE stock_levels_by_key RENAME TO stock_levels;`,
      postgres: 'SELECT 1',
    },
  },
  {
    // A checkout whose payment provider timed out leaves its attempt id on the cart: the next checkout of the
    // cart asks the provider for that same attempt, so a payment that went through after all is not taken twice.
    id: '007_cart_payment_attempt',
    up: 'ALTER TABLE carts ADD COLUMN payment_attempt TEXT;',
  },
  {
    // The last pricing snapshot received from ERP, so that a storefront started while ERP is unreachable
    // prices its catalog and carts as ERP does rather than at base prices. One row: only the newest is kept.
    id: '008_pricing_snapshot',
    up: `
      CREATE TABLE pricing_snapshot (
        id INTEGER PRIMARY KEY,
        version BIGINT NOT NULL,
        body TEXT NOT NULL,
        received_at TEXT NOT NULL
      );`,
  },
  {
    // What each shipped fulfilment of an order carried, so a partly shipped order can take back what left.
    id: '009_order_shipments',
    up: "ALTER TABLE orders ADD COLUMN shipped TEXT NOT NULL DEFAULT '[]';",
  },
  {
    // ERP's product status: the storefront shows and sells `active` products only. Every product so far is.
    id: '010_catalog_product_status',
    up: "ALTER TABLE catalog_products ADD COLUMN status TEXT NOT NULL DEFAULT 'active';",
  },
  {
    // The GTINs ERP gives a product (its `barcodes`), as a JSON array: the storefront shows them (marketplace
    // feeds require them) and finds a product by the one a shopper scans. Rows from before have none until
    // ERP next changes the product: the events already applied are not read again.
    id: '011_catalog_product_gtins',
    up: "ALTER TABLE catalog_products ADD COLUMN gtins TEXT NOT NULL DEFAULT '[]';",
  },
  {
    // The order list reads newest first by keyset on (placed_at, id), whole or of one status or one shopper's
    // email: each is a range of one index, read backwards, never a sort of the table. The email is matched
    // with A–Z folded, as the list's query folds it: SQLite's lower() folds ASCII only, PostgreSQL's does under
    // the C collation (under the database's it would fold other letters too, and the engines would differ).
    id: '012_order_list',
    up: {
      sqlite: orderListIndexes('lower(email)'),
      postgres: orderListIndexes('lower(email COLLATE "C")'),
    },
  },
  {
    // Delivery: the method and address a cart's shopper chose, and what an order was charged for it and where
    // it goes (the order's `shipping` in `commerce.order.placed`), each as JSON; null without. Carts and orders
    // from before have none, as they had none.
    id: '013_shipping',
    up: `
      ALTER TABLE carts ADD COLUMN shipping TEXT;
      ALTER TABLE orders ADD COLUMN shipping TEXT;`,
  },
  {
    // Of a refund, what gives back the delivery charge (0: goods only); null when the refund did not say, as
    // every refund from before did not.
    id: '014_refund_shipping',
    up: 'ALTER TABLE order_refunds ADD COLUMN shipping BIGINT;',
  },
  {
    // Collections waiting at their store longer than the hold (`collectionHoldDays`) are cancelled: they are
    // found by status and the time they became ready, which is their last status change.
    id: '015_orders_awaiting_collection',
    up: 'CREATE INDEX orders_status_updated ON orders (status, updated_at, id);',
  },
  {
    // Why and when an order was cancelled, as the merchant (or the collection sweeper) said: the reason was
    // asked for and dropped. Orders cancelled before have neither.
    id: '016_order_cancellation',
    up: `
      ALTER TABLE orders ADD COLUMN cancel_reason TEXT;
      ALTER TABLE orders ADD COLUMN cancelled_at TEXT;`,
  },
  {
    // What a timed-out payment attempt asked for: a checkout repeats the attempt only when it asks the same
    // provider for the same amount. Repeated for a cart changed since, a provider idempotent by attempt would
    // answer the earlier, smaller payment and the order would go out underpaid. Null for attempts from before.
    id: '017_cart_payment_attempt_amount',
    up: `
      ALTER TABLE carts ADD COLUMN payment_attempt_amount BIGINT;
      ALTER TABLE carts ADD COLUMN payment_attempt_method TEXT;`,
  },
];
