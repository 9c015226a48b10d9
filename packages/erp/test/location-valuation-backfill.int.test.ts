import { afterEach, describe, expect, it } from 'vitest';
import type { StockChangedV1Data } from '@tillstream/contracts';
import { applyEvents, kernelMigrations, runMigrations, systemClock } from '@tillstream/kernel';
import {
  foreignEvent,
  harnessDialects,
  openEmptyDatabase,
  type EmptyDatabase,
} from '@tillstream/kernel/testing';
import { erpMigrations } from '../src/erp.migrations.js';
import { financeMigrations } from '../src/finance/finance.migrations.js';
import { createJournalStore } from '../src/finance/journal.store.js';
import { createLocationValuationStore } from '../src/finance/location-valuation.store.js';
import { createUnbilledReceiptStore } from '../src/finance/unbilled-receipts.store.js';
import { valuationConsumer } from '../src/finance/valuation.consumer.js';
import { createValuationStore } from '../src/finance/valuation.store.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

describe.each(harnessDialects(pgUrl))(
  'Finance migration 028 on a %s database that already holds valued stock',
  (dialect) => {
    let database: EmptyDatabase;
    afterEach(async () => database.drop());

    it('fills each location’s units from the stock balances, and counts no movement twice after', async () => {
      database = await openEmptyDatabase(dialect, 'erp', pgUrl);
      const { db } = database;
      await runMigrations(db, kernelMigrations);
      await runMigrations(db, [
        ...erpMigrations,
        ...financeMigrations.filter((migration) => migration.id < '028'),
      ]);
      // TEE: 6 at W1, 3 on the way to S1, 1 sold short at S2; its last sale (balance version 4 at S2) is not
      // valued yet. GHOST was sold before its product existed: it has a balance and no product.
      const balances: Array<[string, string, number, number, number]> = [
        ['TEE', 'W1', 6, 0, 7],
        ['TEE', 'S1', 0, 3, 2],
        ['TEE', 'S2', -1, 0, 4],
        ['TEE', 'S3', 0, 0, 5],
        ['GHOST', 'S1', -2, 0, 1],
      ];
      await db.transaction(async (tx) => {
        await tx.execute(
          `INSERT INTO products (sku, name, price_amount, currency, kind, components, backorderable, version, updated_at)
           VALUES ('TEE', 'T-shirt', 1999, 'EUR', 'standard', '[]', 0, 1, '2026-11-01T00:00:00.000Z')`,
        );
        for (const [sku, location, onHand, inTransit, version] of balances)
          await tx.execute(
            `INSERT INTO stock_balances (sku, location_id, on_hand, reserved, version, in_transit, damaged)
             VALUES ($1, $2, $3, 0, $4, $5, 0)`,
            [sku, location, onHand, version, inTransit],
          );
        // Valued up to before the last sale: 9 units at 500.
        await tx.execute(
          `INSERT INTO stock_valuations (sku, currency, quantity, value, unit_cost_micros, updated_at)
           VALUES ('TEE', 'EUR', 9, 4500, 500000000, '2026-11-01T00:00:00.000Z')`,
        );
      });

      expect(await runMigrations(db, financeMigrations)).toContain('028_finance_location_valuations');
      const held = async () =>
        (
          await db.query<Record<string, unknown>>(
            'SELECT sku, location_id, quantity, backfilled_version FROM stock_location_valuations',
          )
        )
          .map((row) =>
            Object.values(row).map((value) => (typeof value === 'string' ? value : Number(value))),
          )
          .sort((a, b) => String(a[1]).localeCompare(String(b[1])));
      expect(await held()).toEqual([
        ['TEE', 'S1', 3, 2],
        ['TEE', 'S2', -1, 4],
        ['TEE', 'S3', 0, 5],
        ['TEE', 'W1', 6, 7],
      ]);

      // The sale the balance counted already is valued for the SKU and left alone at its location; one after
      // is counted at both.
      const consumer = valuationConsumer({
        db,
        clock: systemClock,
        journal: createJournalStore({ clock: systemClock }),
        valuations: createValuationStore(),
        locations: createLocationValuationStore(),
        unbilled: createUnbilledReceiptStore(),
      });
      const sold = (id: string, version: number, onHand: number): StockChangedV1Data => ({
        sku: 'TEE',
        locationId: 'S2',
        version,
        onHand,
        reserved: 0,
        available: onHand,
        movement: { id, kind: 'sold', quantity: -1, occurredAt: '2026-11-02T10:00:00.000Z', channel: 'pos' },
      });
      const events = [sold('m-4', 4, -1), sold('m-6', 6, -2)].map((data) =>
        foreignEvent('erp', 'erp.stock.changed', 'stock/TEE@S2', data.version, data),
      );
      await applyEvents(
        consumer,
        'erp',
        events.map((event, index) => ({ event, position: index + 1 })),
        '2026-11-02T10:00:01.000Z',
      );
      expect(await held()).toContainEqual(['TEE', 'S2', -2, 4]);
      const [valued] = await db.query<{ quantity: unknown }>(
        "SELECT quantity FROM stock_valuations WHERE sku = 'TEE'",
      );
      expect(Number(valued!.quantity)).toBe(7);
      const units = (await held()).reduce((sum, row) => sum + Number(row[2]), 0);
      expect(units).toBe(7);
    });
  },
);
