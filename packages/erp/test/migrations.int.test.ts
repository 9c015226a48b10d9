import { afterEach, describe, expect, it } from 'vitest';
import { kernelMigrations, runMigrations } from '@tillstream/kernel';
import { harnessDialects, openEmptyDatabase, type EmptyDatabase } from '@tillstream/kernel/testing';
import { erpMigrations } from '../src/erp.migrations.js';
import { ORDER_HOLD_EXPIRES_AT } from '../src/inventory/reservation.decide.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

describe.each(harnessDialects(pgUrl))(
  'ERP migrations on a %s database that already holds stock',
  (dialect) => {
    let database: EmptyDatabase;
    afterEach(async () => database.drop());

    it('keeps every product and balance when 010 clusters their tables by key', async () => {
      database = await openEmptyDatabase(dialect, 'erp', pgUrl);
      const { db } = database;
      await runMigrations(db, kernelMigrations);
      await runMigrations(
        db,
        erpMigrations.filter((migration) => migration.id < '009'),
      );
      await db.transaction(async (tx) => {
        await tx.execute(
          `INSERT INTO products (sku, name, price_amount, currency, kind, components, backorderable, version, updated_at)
         VALUES ('TEE-1', 'T-shirt', 1999, 'EUR', 'standard', '[]', 1, 3, '2026-11-01T00:00:00.000Z')`,
        );
        await tx.execute(
          `INSERT INTO stock_balances (sku, location_id, on_hand, reserved, version, in_transit, damaged, last_counted_at)
         VALUES ('TEE-1', 'store-1', 12, 2, 7, 1, 3, '2026-11-02T00:00:00.000Z')`,
        );
      });
      const before = await db.query('SELECT * FROM stock_balances');
      const pending = erpMigrations
        .filter((migration) => migration.id >= '009')
        .map((migration) => migration.id);

      expect(await runMigrations(db, erpMigrations)).toEqual(pending);

      expect(pending.slice(0, 2)).toEqual(['009_drop_allocations_by_key', '010_cluster_by_key']);
      expect(await db.query('SELECT * FROM stock_balances')).toEqual(before);
      expect(await db.query('SELECT sku, name, price_amount, backorderable, version FROM products')).toEqual([
        { sku: 'TEE-1', name: 'T-shirt', price_amount: 1999, backorderable: 1, version: 3 },
      ]);
      if (dialect === 'postgres') {
        // 010 leaves PostgreSQL's tables as they are; 009 still drops the index.
        expect(
          await db.query(
            `SELECT indexname FROM pg_indexes
           WHERE schemaname = current_schema() AND indexname = 'reservation_allocations_key'`,
          ),
        ).toEqual([]);
        return;
      }
      const tables = await db.query<{ name: string; sql: string }>(
        `SELECT name, sql FROM sqlite_master WHERE name IN ('stock_balances', 'products', 'reservation_allocations_key')`,
      );
      expect(tables.map((table) => table.name).sort()).toEqual(['products', 'stock_balances']);
      for (const table of tables) expect(table.sql).toContain('WITHOUT ROWID');
    });

    it('shows no expiry on holds kept for a placed order before 013, and leaves every other hold alone', async () => {
      database = await openEmptyDatabase(dialect, 'erp', pgUrl);
      const { db } = database;
      await runMigrations(db, kernelMigrations);
      await runMigrations(
        db,
        erpMigrations.filter((migration) => migration.id < '013'),
      );
      const thirtyDays = '2026-12-30T00:00:00.000Z';
      await db.transaction(async (tx) => {
        for (const [id, status] of [
          ['for-order', 'held'],
          ['cart-only', 'held'],
          ['shipped-order', 'committed'],
        ])
          await tx.execute(
            `INSERT INTO reservations (id, channel, status, request_hash, lines, expires_at, created_at, updated_at, version)
             VALUES ($1, 'web', $2, 'h', '[]', $3, '2026-11-30T00:00:00.000Z', '2026-11-30T00:00:00.000Z', 2)`,
            [id, status, thirtyDays],
          );
        await tx.execute(
          `INSERT INTO online_orders (order_id, reservation_id, placed_at)
           VALUES ('order-1', 'for-order', '2026-11-30T00:00:00.000Z'), ('order-2', 'shipped-order', '2026-11-30T00:00:00.000Z')`,
        );
      });

      expect(await runMigrations(db, erpMigrations)).toContain('013_order_holds_show_no_expiry');

      expect(await db.query('SELECT id, expires_at, version FROM reservations ORDER BY id')).toEqual([
        { id: 'cart-only', expires_at: thirtyDays, version: 2 },
        { id: 'for-order', expires_at: ORDER_HOLD_EXPIRES_AT, version: 2 },
        { id: 'shipped-order', expires_at: thirtyDays, version: 2 },
      ]);
    });
  },
);
