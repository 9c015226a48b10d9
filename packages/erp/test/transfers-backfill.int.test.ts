import { afterEach, describe, expect, it } from 'vitest';
import { fingerprintOf, kernelMigrations, runMigrations } from '@tillstream/kernel';
import { harnessDialects, openEmptyDatabase, type EmptyDatabase } from '@tillstream/kernel/testing';
import { erpMigrations } from '../src/erp.migrations.js';
import { transferFingerprint } from '../src/inventory/transfer.decide.js';
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

describe.each(harnessDialects(pgUrl))(
  'ERP migration 025 on a %s database that already holds transfers',
  (dialect) => {
    let database: EmptyDatabase;
    afterEach(async () => database.drop());

    it('leaves them without an expected date, never overdue, and still replaying their create', async () => {
      database = await openEmptyDatabase(dialect, 'erp', pgUrl);
      const { db } = database;
      await runMigrations(db, kernelMigrations);
      await runMigrations(
        db,
        erpMigrations.filter((migration) => migration.id < '025'),
      );
      const create = { id: 't-1', sourceId: 'W1', destinationId: 'S1', lines: [{ sku: 'TEE', quantity: 5 }] };
      // The fingerprint as creates stored it before transfers had an expected date.
      const storedHash = fingerprintOf(['W1', 'S1', [['TEE', 5]]]);
      await db.transaction(async (tx) => {
        await tx.execute(
          `INSERT INTO transfers (id, source_id, destination_id, status, lines, discrepancies, request_hash,
             version, created_at, shipped_at) VALUES ('t-1', 'W1', 'S1', 'in_transit', $1, '[]', $2, 1,
             '2026-10-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z')`,
          [JSON.stringify([{ sku: 'TEE', quantity: 5, received: 0 }]), storedHash],
        );
      });

      expect(await runMigrations(db, erpMigrations)).toContain('029_transfer_expected_at');
      const store = createTransferStore();
      const transfer = await store.find(db, 't-1');
      expect(transfer).toMatchObject({ expectedAt: null, requestHash: transferFingerprint(create) });
      const page = async (overdue: boolean) =>
        (
          await store.page(db, {
            after: '',
            limit: 10,
            overdue: { is: overdue, at: '2027-01-01T00:00:00.000Z' },
          })
        ).map((row) => row.id);
      expect(await page(true)).toEqual([]);
      expect(await page(false)).toEqual(['t-1']);
    });
  },
);
