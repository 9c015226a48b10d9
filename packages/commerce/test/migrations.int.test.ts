import { afterEach, describe, expect, it } from 'vitest';
import { kernelMigrations, runMigrations } from '@tillstream/kernel';
import { harnessDialects, openEmptyDatabase, type EmptyDatabase } from '@tillstream/kernel/testing';
import { commerceMigrations } from '../src/commerce.migrations.js';
import { createCatalogStore } from '../src/catalog/catalog.store.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

describe.each(harnessDialects(pgUrl))(
  'commerce migrations on a %s database that already holds a projection',
  (dialect) => {
    let database: EmptyDatabase;
    afterEach(async () => database.drop());

    it('keeps the stock levels and sends readers of the old feed back to a full reload', async () => {
      database = await openEmptyDatabase(dialect, 'commerce', pgUrl);
      const { db } = database;
      await runMigrations(db, kernelMigrations);
      await runMigrations(
        db,
        commerceMigrations.filter((migration) => migration.id < '005'),
      );
      await db.transaction(async (tx) => {
        await tx.execute(
          `INSERT INTO stock_levels (sku, location_id, available, version) VALUES ('TEE-1', 'store-1', 5, 4)`,
        );
        await tx.execute(`INSERT INTO catalog_changes (key, revision) VALUES ('TEE-1', 7)`);
        await tx.execute('UPDATE catalog_revision SET revision = 7 WHERE id = 1');
        await tx.execute(
          `INSERT INTO inbox (consumer, event_id, processed_at) VALUES ('commerce.catalog', 'e-1', '2026-11-01')`,
        );
      });

      await runMigrations(db, commerceMigrations);

      expect(await db.query('SELECT sku, location_id, available, version FROM stock_levels')).toEqual([
        { sku: 'TEE-1', location_id: 'store-1', available: 5, version: 4 },
      ]);
      expect(await db.query(`SELECT * FROM inbox WHERE consumer = 'commerce.catalog'`)).toEqual([]);
      // A cache that had read up to revision 3 cannot trust the new feed: it must reload everything.
      const store = createCatalogStore(db);
      expect(await store.changesAfter(3)).toEqual({ keys: [], revision: 7, complete: false });
      expect(await store.changesAfter(7)).toEqual({ keys: [], revision: 7, complete: true });
    });

    it('gives products projected before GTINs an empty list, which the storefront reads as none', async () => {
      database = await openEmptyDatabase(dialect, 'commerce', pgUrl);
      const { db } = database;
      await runMigrations(db, kernelMigrations);
      await runMigrations(
        db,
        commerceMigrations.filter((migration) => migration.id < '011'),
      );
      await db.transaction(async (tx) => {
        await tx.execute(
          `INSERT INTO catalog_products (sku, name, price_amount, currency, kind, backorderable, version)
           VALUES ('TEE-1', 'Tee', 500, 'EUR', 'standard', 0, 3)`,
        );
      });

      await runMigrations(db, commerceMigrations);

      expect(await createCatalogStore(db).products(['TEE-1'])).toEqual([
        expect.objectContaining({ sku: 'TEE-1', status: 'active', gtins: [] }),
      ]);
    });
  },
);
