import type { Migration } from '@tillstream/kernel';

/**
 * Pricing tables in ERP's database. Definitions (price lists, promotions, tax rates, shipping methods) keep their
 * current JSON with a version, and every version in `pricing_history`. Usage counters are rows updated with a
 * conditional `UPDATE … WHERE used < usage_limit`, so the database, not a process, decides who gets the last use.
 */
export const pricingMigrations: Migration[] = [
  {
    id: '010_pricing',
    up: `
      CREATE TABLE price_lists (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        definition TEXT NOT NULL,
        deleted_at TEXT,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE promotions (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        definition TEXT NOT NULL,
        deleted_at TEXT,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE promotion_codes (
        code TEXT PRIMARY KEY,
        promotion_id TEXT NOT NULL
      );
      CREATE INDEX promotion_codes_promotion ON promotion_codes (promotion_id);
      CREATE TABLE tax_rates (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        definition TEXT NOT NULL,
        tax_category TEXT NOT NULL,
        location_key TEXT NOT NULL,
        deleted_at TEXT,
        updated_at TEXT NOT NULL
      );
      CREATE UNIQUE INDEX tax_rates_scope ON tax_rates (tax_category, location_key) WHERE deleted_at IS NULL;
      CREATE TABLE product_pricing (
        sku TEXT PRIMARY KEY,
        tax_category TEXT NOT NULL,
        categories TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE pricing_history (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        change TEXT NOT NULL,
        definition TEXT,
        changed_at TEXT NOT NULL,
        PRIMARY KEY (kind, id, version)
      );
      CREATE TABLE pricing_revision (
        id INTEGER PRIMARY KEY,
        revision BIGINT NOT NULL,
        changed_at TEXT NOT NULL
      );
      INSERT INTO pricing_revision (id, revision, changed_at) VALUES (1, 0, '1970-01-01T00:00:00.000Z');
      CREATE TABLE pricing_snapshots (
        version INTEGER PRIMARY KEY,
        content_hash TEXT NOT NULL UNIQUE,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX pricing_snapshots_created ON pricing_snapshots (created_at);
      CREATE TABLE promotion_usage (
        promotion_id TEXT PRIMARY KEY,
        used BIGINT NOT NULL,
        usage_limit BIGINT,
        per_customer_limit BIGINT,
        version INTEGER NOT NULL
      );
      CREATE TABLE promotion_customer_usage (
        promotion_id TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        used BIGINT NOT NULL,
        PRIMARY KEY (promotion_id, customer_id)
      );
      CREATE TABLE promotion_redemptions (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status TEXT NOT NULL,
        customer_id TEXT,
        promotion_ids TEXT NOT NULL,
        result TEXT NOT NULL,
        created_at TEXT NOT NULL,
        released_at TEXT
      );
      CREATE TABLE price_mismatches (
        id TEXT PRIMARY KEY,
        sale_id TEXT NOT NULL,
        store_id TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        currency TEXT NOT NULL,
        reason TEXT NOT NULL,
        sale_snapshot_version INTEGER,
        reference_snapshot_version INTEGER,
        expected_total BIGINT,
        actual_total BIGINT NOT NULL,
        lines TEXT NOT NULL,
        promotion_ids TEXT NOT NULL,
        raised_at TEXT NOT NULL,
        resolved_at TEXT
      );
      CREATE UNIQUE INDEX price_mismatches_sale ON price_mismatches (sale_id, reason);
      CREATE INDEX price_mismatches_open ON price_mismatches (raised_at);`,
  },
  {
    // A snapshot's content may come back (a price changed and changed back) and must then get a new, higher
    // version, so the content hash is no longer unique. Minting compares it with the latest version's only,
    // found by the primary key, so it needs no index. SQLite cannot drop a column's UNIQUE: the table is
    // rebuilt there.
    id: '011_pricing_snapshot_versions_grow',
    up: {
      sqlite: `
        CREATE TABLE pricing_snapshots_grow (
          version INTEGER PRIMARY KEY,
          content_hash TEXT NOT NULL,
          body TEXT NOT NULL,
          created_at TEXT NOT NULL
        );
        INSERT INTO pricing_snapshots_grow (version, content_hash, body, created_at)
          SELECT version, content_hash, body, created_at FROM pricing_snapshots;
        DROP TABLE pricing_snapshots;
        ALTER TABLE pricing_snapshots_grow RENAME TO pricing_snapshots;
        CREATE INDEX pricing_snapshots_created ON pricing_snapshots (created_at);`,
      postgres: 'ALTER TABLE pricing_snapshots DROP CONSTRAINT pricing_snapshots_content_hash_key',
    },
  },
  {
    // GET /price-mismatches pages by keyset on (raised_at, id) and filters open ones; before, it read the oldest
    // open ones and no more.
    id: '015_price_mismatches_by_time',
    up: `CREATE INDEX price_mismatches_by_time ON price_mismatches (raised_at, id);
      DROP INDEX price_mismatches_open;`,
  },
  {
    // Shipping methods: a fourth versioned definition, stored like the others (their history in
    // pricing_history under kind 'shipping_method'). The snapshot lists every one not deleted, in id order.
    id: '036_pricing_shipping_methods',
    up: `
      CREATE TABLE shipping_methods (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        definition TEXT NOT NULL,
        deleted_at TEXT,
        updated_at TEXT NOT NULL
      );`,
  },
  {
    // What a unit of a product weighs for delivery rates by weight, in grams; null: no weight, as every product
    // had before (it weighs nothing for delivery).
    id: '041_product_pricing_weight',
    up: 'ALTER TABLE product_pricing ADD COLUMN weight_grams BIGINT;',
  },
];
