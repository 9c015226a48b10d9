import type { Migration } from '@tillstream/kernel';

export const erpMigrations: Migration[] = [
  {
    id: '001_catalog',
    up: `
      CREATE TABLE locations (
        location_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE products (
        sku TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        price_amount BIGINT NOT NULL,
        currency TEXT NOT NULL,
        kind TEXT NOT NULL,
        components TEXT NOT NULL,
        backorderable INTEGER NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      );`,
  },
  {
    id: '002_inventory',
    up: `
      CREATE TABLE stock_balances (
        sku TEXT NOT NULL,
        location_id TEXT NOT NULL,
        on_hand BIGINT NOT NULL,
        reserved BIGINT NOT NULL,
        version INTEGER NOT NULL,
        PRIMARY KEY (sku, location_id)
      );
      CREATE TABLE stock_movements (
        id TEXT PRIMARY KEY,
        sku TEXT NOT NULL,
        location_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        quantity BIGINT NOT NULL,
        occurred_at TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        reference TEXT NOT NULL
      );
      CREATE INDEX stock_movements_key ON stock_movements (sku, location_id, occurred_at);
      CREATE UNIQUE INDEX stock_movements_reference ON stock_movements (reference, sku, location_id, kind);
      CREATE TABLE stock_adjustments (
        id TEXT PRIMARY KEY,
        request_hash TEXT NOT NULL,
        result TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      );
      CREATE TABLE stock_exceptions (
        id TEXT PRIMARY KEY,
        sku TEXT NOT NULL,
        location_id TEXT NOT NULL,
        on_hand BIGINT NOT NULL,
        cause_kind TEXT NOT NULL,
        cause_reference TEXT NOT NULL,
        raised_at TEXT NOT NULL,
        resolved_at TEXT
      );`,
  },
];
