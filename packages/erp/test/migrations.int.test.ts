import { afterEach, describe, expect, it } from 'vitest';
import { kernelMigrations, runMigrations } from '@tillstream/kernel';
import { harnessDialects, openEmptyDatabase, type EmptyDatabase } from '@tillstream/kernel/testing';
import { erpMigrations } from '../src/erp.migrations.js';
import { financeMigrations } from '../src/finance/finance.migrations.js';
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

    it('names the store channel on every sale moved before 021, and no channel it cannot know', async () => {
      database = await openEmptyDatabase(dialect, 'erp', pgUrl);
      const { db } = database;
      await runMigrations(db, kernelMigrations);
      await runMigrations(
        db,
        erpMigrations.filter((migration) => migration.id < '021'),
      );
      await db.transaction(async (tx) => {
        for (const [id, kind, quantity] of [
          ['sale/s1/TEE-1', 'sold', -2],
          ['return/r1/returned/TEE-1@store-1', 'returned', 1],
          ['reservation/h1/commit/TEE-1@store-1', 'commit', -1],
        ] as const)
          await tx.execute(
            `INSERT INTO stock_movements (id, sku, location_id, kind, quantity, occurred_at, recorded_at, reference)
             VALUES ($1, 'TEE-1', 'store-1', $2, $3, '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', $1)`,
            [id, kind, quantity],
          );
      });

      expect(await runMigrations(db, erpMigrations)).toContain('021_stock_movement_channel');
      const rows = await db.query<{ kind: string; channel: string | null }>(
        'SELECT kind, channel FROM stock_movements ORDER BY kind',
      );
      expect(rows).toEqual([
        { kind: 'commit', channel: null },
        { kind: 'returned', channel: null },
        { kind: 'sold', channel: 'pos' },
      ]);
    });

    it('keeps the revenue and tax of entries posted before 023 under no rate, so the summary adds up', async () => {
      database = await openEmptyDatabase(dialect, 'erp', pgUrl);
      const { db } = database;
      await runMigrations(db, kernelMigrations);
      await runMigrations(
        db,
        financeMigrations.filter((migration) => migration.id < '023'),
      );
      const entries: Array<[number, string, Array<[string, number, number]>]> = [
        // A sale with 21 % inside and a discount, a return, and a gift card sold (neither revenue nor tax).
        [
          1,
          'sale',
          [
            ['1100', 2178, 0],
            ['2100', 0, 378],
            ['4000', 0, 2000],
            ['4050', 200, 0],
          ],
        ],
        [
          2,
          'return',
          [
            ['1000', 0, 1210],
            ['2100', 210, 0],
            ['4100', 1000, 0],
          ],
        ],
        [
          3,
          'stored_value_sold',
          [
            ['1100', 5000, 0],
            ['2200', 0, 5000],
          ],
        ],
      ];
      await db.transaction(async (tx) => {
        for (const [entryNo, kind, lines] of entries) {
          await tx.execute(
            `INSERT INTO journal_entries (entry_no, kind, source_id, location_id, channel, occurred_at, currency,
               event_id, posted_at)
             VALUES ($1, $2, $3, 'S1', 'pos', '2026-11-01T10:00:00.000Z', 'EUR', $3, '2026-11-01T10:00:01.000Z')`,
            [entryNo, kind, `doc-${entryNo}`],
          );
          for (const [index, [account, debit, credit]] of lines.entries())
            await tx.execute(
              'INSERT INTO journal_lines (entry_no, line_no, account, debit, credit) VALUES ($1, $2, $3, $4, $5)',
              [entryNo, index + 1, account, debit, credit],
            );
        }
      });

      expect(
        await runMigrations(
          db,
          financeMigrations.filter((migration) => migration.id < '024'),
        ),
      ).toEqual(['023_finance_tax_bases']);

      const bases = await db.query<Record<string, unknown>>(
        'SELECT entry_no, base_no, rate_ppm, net, tax FROM journal_tax_bases ORDER BY entry_no',
      );
      expect(
        bases.map((row) => Object.values(row).map((value) => (value === null ? null : Number(value)))),
      ).toEqual([
        [1, 1, null, 1800, 378],
        [2, 1, null, -1000, -210],
      ]);
    });
  },
);
