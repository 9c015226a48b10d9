import { afterEach, describe, expect, it } from 'vitest';
import { kernelMigrations, runMigrations } from '@tillstream/kernel';
import { harnessDialects, openEmptyDatabase, type EmptyDatabase } from '@tillstream/kernel/testing';
import { erpMigrations } from '../src/erp.migrations.js';
import { financeMigrations } from '../src/finance/finance.migrations.js';
import { createUnbilledReceiptStore } from '../src/finance/unbilled-receipts.store.js';
import { byMovement, unbilledByJournal } from './unbilled-receipts.oracle.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

/** A stock movement, and the valuation's entry for it with its lines as [account, debit, credit] (none: no entry). */
type Booked = [
  id: string,
  kind: string,
  locationId: string,
  quantity: number,
  occurredAt: string,
  entry: { kind: string; currency: string; lines: Array<[string, number, number]> } | null,
];

const received = (credit: number, currency = 'EUR') => ({
  kind: 'goods_received',
  currency,
  lines: [['1300', credit, 0] as [string, number, number], ['2310', 0, credit] as [string, number, number]],
});

describe.each(harnessDialects(pgUrl))(
  'Finance migration 030 on a %s database whose journal holds receipts',
  (dialect) => {
    let database: EmptyDatabase;
    afterEach(async () => database.drop());

    it('lists the receipts the journal holds on 2310 and no bill took, as the list computed them', async () => {
      database = await openEmptyDatabase(dialect, 'erp', pgUrl);
      const { db } = database;
      await runMigrations(db, kernelMigrations);
      await runMigrations(db, [
        ...erpMigrations,
        ...financeMigrations.filter((migration) => migration.id < '030'),
      ]);
      const movements: Booked[] = [
        ['adjustment/dsd-1', 'received', 'S1', 10, '2026-10-30T06:00:00.000Z', received(1_200)],
        ['adjustment/dsd-billed', 'received', 'S1', 4, '2026-10-01T06:00:00.000Z', received(480)],
        ['adjustment/dsd-usd', 'received', 'S2', 3, '2026-10-02T06:00:00.000Z', received(300, 'USD')],
        // A receipt that brought stock sold short back: part of it corrects cost of sales, 2310 has the rest.
        [
          'adjustment/dsd-short',
          'received',
          'S2',
          5,
          '2026-10-03T06:00:00.000Z',
          {
            kind: 'goods_received',
            currency: 'EUR',
            lines: [
              ['1300', 450, 0],
              ['2310', 0, 500],
              ['5000', 50, 0],
            ],
          },
        ],
        ['po/1/rcpt/1/NEW@W1', 'po_received', 'W1', 1, '2026-10-04T06:00:00.000Z', received(90)],
        [
          'po/1/rcpt/1/TEE@W1',
          'po_received',
          'W1',
          8,
          '2026-10-04T06:00:00.000Z',
          {
            kind: 'goods_received',
            currency: 'EUR',
            lines: [
              ['1300', 3_600, 0],
              ['2300', 0, 3_600],
            ],
          },
        ],
        ['adjustment/dsd-costless', 'received', 'S1', 5, '2026-10-05T06:00:00.000Z', null],
        [
          'sale/s-1/TEE@S1',
          'sold',
          'S1',
          -1,
          '2026-10-06T06:00:00.000Z',
          {
            kind: 'cost_of_sales',
            currency: 'EUR',
            lines: [
              ['1300', 0, 450],
              ['5000', 450, 0],
            ],
          },
        ],
      ];
      await db.transaction(async (tx) => {
        for (const [index, [id, kind, locationId, quantity, occurredAt, entry]] of movements.entries()) {
          await tx.execute(
            `INSERT INTO stock_movements (id, sku, location_id, kind, quantity, occurred_at, recorded_at, reference)
             VALUES ($1, 'TEE', $2, $3, $4, $5, $5, $1)`,
            [id, locationId, kind, quantity, occurredAt],
          );
          if (!entry) continue;
          await tx.execute(
            `INSERT INTO journal_entries (entry_no, kind, source_id, location_id, channel, occurred_at, currency,
               event_id, posted_at)
             VALUES ($1, $2, $3, $4, 'inventory', $5, $6, $3, $5)`,
            [index + 1, entry.kind, id, locationId, occurredAt, entry.currency],
          );
          for (const [line, [account, debit, credit]] of entry.lines.entries())
            await tx.execute(
              'INSERT INTO journal_lines (entry_no, line_no, account, debit, credit) VALUES ($1, $2, $3, $4, $5)',
              [index + 1, line + 1, account, debit, credit],
            );
        }
        await tx.execute(
          `INSERT INTO supplier_bill_receipts (movement_id, bill_id, line_no, value)
           VALUES ('adjustment/dsd-billed', 'bill-1', 1, 480)`,
        );
      });
      const before = await unbilledByJournal(db);

      expect(await runMigrations(db, financeMigrations)).toContain('030_finance_unbilled_receipts');

      const listed = await createUnbilledReceiptStore().page(db, { limit: 100 });
      expect(byMovement(listed)).toEqual(before);
      expect(listed.map((row) => [row.movementId, row.currency, row.value])).toEqual([
        ['adjustment/dsd-usd', 'USD', 300],
        ['adjustment/dsd-short', 'EUR', 500],
        ['po/1/rcpt/1/NEW@W1', 'EUR', 90],
        ['adjustment/dsd-1', 'EUR', 1_200],
      ]);
      expect(listed[2]).toEqual({
        movementId: 'po/1/rcpt/1/NEW@W1',
        kind: 'po_received',
        sku: 'TEE',
        locationId: 'W1',
        quantity: 1,
        occurredAt: '2026-10-04T06:00:00.000Z',
        currency: 'EUR',
        value: 90,
      });
    });
  },
);
