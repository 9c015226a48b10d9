import { afterEach, describe, expect, it } from 'vitest';
import { kernelMigrations, runMigrations } from '@tillstream/kernel';
import { harnessDialects, openEmptyDatabase, type EmptyDatabase } from '@tillstream/kernel/testing';
import { erpMigrations } from '../src/erp.migrations.js';
import { createTransferStore } from '../src/inventory/transfer.store.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

describe.each(harnessDialects(pgUrl))(
  'ERP migration 024 on a %s database that already holds transfers',
  (dialect) => {
    let database: EmptyDatabase;
    afterEach(async () => database.drop());

    it('finds each transfer by every SKU it had a line of, an item received off the transfer too', async () => {
      database = await openEmptyDatabase(dialect, 'erp', pgUrl);
      const { db } = database;
      await runMigrations(db, kernelMigrations);
      await runMigrations(
        db,
        erpMigrations.filter((migration) => migration.id < '024'),
      );
      const transfers: Array<[string, Array<[string, number, number]>]> = [
        [
          't-1',
          [
            ['TEE', 5, 5],
            ['CAP', 2, 1],
          ],
        ],
        // CAP arrived without being on the transfer: a line of quantity 0.
        [
          't-2',
          [
            ['TEE', 1, 0],
            ['CAP', 0, 1],
          ],
        ],
        ['t-3', [['SOCK', 3, 0]]],
      ];
      await db.transaction(async (tx) => {
        for (const [id, lines] of transfers)
          await tx.execute(
            `INSERT INTO transfers (id, source_id, destination_id, status, lines, discrepancies, request_hash,
               version, created_at) VALUES ($1, 'W1', 'S1', 'in_transit', $2, '[]', 'h', 1, '2026-10-01T00:00:00.000Z')`,
            [id, JSON.stringify(lines.map(([sku, quantity, received]) => ({ sku, quantity, received })))],
          );
      });

      expect(await runMigrations(db, erpMigrations)).toContain('024_transfer_list');
      const store = createTransferStore();
      const bySku = async (sku: string) =>
        (await store.page(db, { after: '', limit: 10, sku })).map((transfer) => transfer.id);
      expect(await bySku('TEE')).toEqual(['t-1', 't-2']);
      expect(await bySku('CAP')).toEqual(['t-1', 't-2']);
      expect(await bySku('SOCK')).toEqual(['t-3']);
      expect(await bySku('HAT')).toEqual([]);
    });
  },
);
