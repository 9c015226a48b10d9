import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kernelMigrations, openSqlite, runMigrations, type Db } from '@tillstream/kernel';
import { erpMigrations } from '../src/erp.migrations.js';

describe('ERP migrations on a database that already holds stock', () => {
  let dir: string;
  let db: Db;
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every product and balance when 010 clusters their tables by key', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tillstream-erp-migrate-'));
    db = openSqlite({ file: join(dir, 'erp.sqlite'), context: 'erp' });
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

    expect(await runMigrations(db, erpMigrations)).toEqual([
      '009_drop_allocations_by_key',
      '010_cluster_by_key',
    ]);

    expect(await db.query('SELECT * FROM stock_balances')).toEqual(before);
    expect(await db.query('SELECT sku, name, price_amount, backorderable, version FROM products')).toEqual([
      { sku: 'TEE-1', name: 'T-shirt', price_amount: 1999, backorderable: 1, version: 3 },
    ]);
    const tables = await db.query<{ name: string; sql: string }>(
      `SELECT name, sql FROM sqlite_master WHERE name IN ('stock_balances', 'products', 'reservation_allocations_key')`,
    );
    expect(tables.map((table) => table.name).sort()).toEqual(['products', 'stock_balances']);
    for (const table of tables) expect(table.sql).toContain('WITHOUT ROWID');
  });
});
