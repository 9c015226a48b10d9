import type { Migration } from '@tillstream/kernel';

export const posMigrations: Migration[] = [
  {
    id: '001_sales',
    up: `
      CREATE TABLE sales (
        id TEXT PRIMARY KEY,
        store_id TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        currency TEXT NOT NULL,
        total BIGINT NOT NULL,
        request_hash TEXT NOT NULL,
        result TEXT NOT NULL,
        received_at TEXT NOT NULL
      );
      CREATE INDEX sales_terminal ON sales (terminal_id, occurred_at);
      CREATE TABLE terminals (
        terminal_id TEXT PRIMARY KEY,
        store_id TEXT NOT NULL,
        registered_at TEXT NOT NULL
      );`,
  },
  {
    id: '002_directory',
    up: `
      CREATE TABLE known_locations (
        location_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        version INTEGER NOT NULL
      );
      CREATE TABLE known_products (
        sku TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        price_amount BIGINT NOT NULL,
        currency TEXT NOT NULL,
        version INTEGER NOT NULL
      );`,
  },
];
