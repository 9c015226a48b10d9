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
];
