import { afterEach, describe, expect, it } from 'vitest';
import { createOutbox, kernelMigrations, manualClock, runMigrations, uuidV7Ids } from '@tillstream/kernel';
import { harnessDialects, openEmptyDatabase, type EmptyDatabase } from '@tillstream/kernel/testing';
import { posMigrations } from '../src/pos.migrations.js';
import { createStoredValueStore } from '../src/stored-value/stored-value.store.js';
import { createDirectory } from '../src/directory/directory.js';
import { noErp, pgUrl } from './pos-rig.js';

describe.each(harnessDialects(pgUrl))(
  'POS migrations on a %s database that already holds gift card holds',
  (dialect) => {
    let database: EmptyDatabase;
    afterEach(async () => database.drop());

    it('gives holds from before expiry an expiry, so a hold stranded then is swept on the first pass', async () => {
      database = await openEmptyDatabase(dialect, 'pos', pgUrl);
      const { db } = database;
      await runMigrations(db, kernelMigrations);
      await runMigrations(
        db,
        posMigrations.filter((migration) => migration.id < '009'),
      );
      const row = (id: string, status: string, createdAt: string) =>
        db.transaction((tx) =>
          tx.execute(
            `INSERT INTO stored_value_redemptions (id, number, amount, currency, store_id, terminal_id, status, sale_id,
             request_hash, created_at, updated_at) VALUES ($1, 'GC-1', 500, 'EUR', 'S1', 'T1', $2, NULL, 'h', $3, $3)`,
            [id, status, createdAt],
          ),
        );
      await row('stranded', 'held', '2026-10-01T09:00:00.000Z');
      await row('spent', 'claimed', '2026-10-01T09:05:00.000Z');

      expect(await runMigrations(db, posMigrations)).toContain('009_stored_value_hold_expiry');

      const clock = manualClock('2026-11-01T09:00:00.000Z');
      const store = createStoredValueStore({ outbox: createOutbox('pos', { clock, ids: uuidV7Ids }), clock });
      expect(await store.dueHolds(db, clock.now().toISOString(), 10)).toEqual(['stranded']);
      expect((await store.findRedemption(db, 'stranded'))?.redemption.expiresAt).toBe(
        '2026-10-01T09:00:00.000Z',
      );
    });
  },
);

describe.each(harnessDialects(pgUrl))(
  'POS migrations on a %s database that already knows products',
  (dialect) => {
    let database: EmptyDatabase;
    afterEach(async () => database.drop());

    it('gives products known from before statuses `active`, what an event without a status means', async () => {
      database = await openEmptyDatabase(dialect, 'pos', pgUrl);
      const { db } = database;
      await runMigrations(db, kernelMigrations);
      await runMigrations(
        db,
        posMigrations.filter((migration) => migration.id < '014'),
      );
      await db.transaction((tx) =>
        tx.execute(
          `INSERT INTO known_products (sku, name, price_amount, currency, version, changed_in, barcodes)
           VALUES ('OLD-1', 'Old', 500, 'EUR', 3, 1, '[]')`,
        ),
      );

      expect(await runMigrations(db, posMigrations)).toContain('014_known_product_status');

      expect(await db.query('SELECT sku, status, version FROM known_products')).toEqual([
        { sku: 'OLD-1', status: 'active', version: 3 },
      ]);
    });
  },
);

describe.each(harnessDialects(pgUrl))(
  'POS migrations on a %s database that already knows stores',
  (dialect) => {
    let database: EmptyDatabase;
    afterEach(async () => database.drop());

    it('gives stores known from before cash rounding none, so their sales are checked as before', async () => {
      database = await openEmptyDatabase(dialect, 'pos', pgUrl);
      const { db } = database;
      await runMigrations(db, kernelMigrations);
      await runMigrations(
        db,
        posMigrations.filter((migration) => migration.id < '015'),
      );
      await db.transaction((tx) =>
        tx.execute(
          "INSERT INTO known_locations (location_id, name, kind, version) VALUES ('OLD-S', 'Old', 'store', 2)",
        ),
      );

      expect(await runMigrations(db, posMigrations)).toContain('015_store_cash_rounding');

      const directory = createDirectory(db, noErp, manualClock('2026-11-01T09:00:00.000Z'));
      expect(await directory.location('OLD-S')).toEqual({
        locationId: 'OLD-S',
        name: 'Old',
        kind: 'store',
        version: 2,
      });
    });
  },
);
