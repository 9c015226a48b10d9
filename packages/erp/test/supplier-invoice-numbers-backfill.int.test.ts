import { afterEach, describe, expect, it } from 'vitest';
import { kernelMigrations, runMigrations } from '@tillstream/kernel';
import { harnessDialects, openEmptyDatabase, type EmptyDatabase } from '@tillstream/kernel/testing';
import { erpMigrations } from '../src/erp.migrations.js';
import { financeMigrations } from '../src/finance/finance.migrations.js';
import { createSupplierInvoiceNumbers } from '../src/inventory/supplier-invoice-number.store.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

/** An invoice matched to an order: [invoice id, order id, supplier's number as typed, when it was recorded]. */
type Invoice = [id: string, orderId: string, number: string | null, recordedAt: string];
/** A bill: [bill id, supplier, number as typed, its key as bills kept it, when it was recorded]. */
type Bill = [id: string, supplierId: string, number: string, key: string, recordedAt: string];

const orders: Array<[id: string, supplierId: string]> = [
  ['po-a', 'acme'],
  ['po-b', 'acme'],
  ['po-c', 'beta'],
];
const invoices: Invoice[] = [
  // The same paper on two orders, and as a bill before either: the bill was first.
  ['ap-a1', 'po-a', 'ACME 100', '2026-10-01T10:00:00.000Z'],
  ['ap-b1', 'po-b', 'acme100', '2026-10-01T11:00:00.000Z'],
  ['ap-a2', 'po-a', 'ACME-200', '2026-10-02T10:00:00.000Z'],
  // Twice on one order in the same millisecond (two clerks at once): the lower id holds it.
  ['ap-a4', 'po-a', 'acme 300', '2026-10-03T10:00:00.000Z'],
  ['ap-a3', 'po-a', 'ACME 300', '2026-10-03T10:00:00.000Z'],
  // Spaces JavaScript takes out of a number: a tab and a no-break space.
  ['ap-b2', 'po-b', 't\t5\u00a000', '2026-10-04T10:00:00.000Z'],
  ['ap-c1', 'po-c', 'ACME 100', '2026-10-05T10:00:00.000Z'],
  // Claimed and never recorded (a crash of a build that left such rows): it holds no number.
  ['ap-b3', 'po-b', null, '2026-10-06T10:00:00.000Z'],
];
const bills: Bill[] = [
  ['bill-x1', 'acme', 'Acme 100', 'ACME100', '2026-09-30T10:00:00.000Z'],
  ['bill-x2', 'acme', 'BILL-9', 'BILL-9', '2026-10-07T10:00:00.000Z'],
];

describe.each(harnessDialects(pgUrl))(
  'Finance migration 032 on a %s database whose suppliers entered numbers twice',
  (dialect) => {
    let database: EmptyDatabase;
    afterEach(async () => database.drop());

    it('keeps every document, gives each number to the first that took it, and refuses it from then on', async () => {
      database = await openEmptyDatabase(dialect, 'erp', pgUrl);
      const { db } = database;
      await runMigrations(db, kernelMigrations);
      await runMigrations(db, [
        ...erpMigrations,
        ...financeMigrations.filter((migration) => migration.id < '032'),
      ]);
      await db.transaction(async (tx) => {
        for (const [id, supplierId] of orders)
          await tx.execute(
            `INSERT INTO purchase_orders (id, supplier_id, location_id, currency, status, total, request_hash,
               version, created_at)
             VALUES ($1, $2, 'W1', 'EUR', 'received', 1000, 'h', 3, '2026-09-01T00:00:00.000Z')`,
            [id, supplierId],
          );
        for (const [index, [id, orderId, number, recordedAt]] of invoices.entries())
          await tx.execute(
            `INSERT INTO purchase_order_invoices (id, purchase_order_id, request_hash, recorded_at,
               supplier_invoice_number, invoiced_at, total, matched, invoice_no)
             VALUES ($1, $2, 'h', $3, $4, $3, 100, 100, $5)`,
            [id, orderId, recordedAt, number, number === null ? null : index + 1],
          );
        for (const [id, supplierId, number, key, recordedAt] of bills)
          await tx.execute(
            `INSERT INTO supplier_bills (id, request_hash, recorded_at, supplier_id, invoice_number_key,
               supplier_invoice_number, currency, total, matched, invoiced_at, due_at)
             VALUES ($1, 'h', $2, $3, $4, $5, 'EUR', 100, 0, $2, $2)`,
            [id, recordedAt, supplierId, key, number],
          );
      });

      expect(await runMigrations(db, financeMigrations)).toContain('032_finance_supplier_invoice_numbers');

      const held = await db.query<Record<string, unknown>>(
        `SELECT supplier_id, invoice_number_key, document, document_id, purchase_order_id
         FROM supplier_invoice_numbers`,
      );
      // Sorted here: the engines' collations need not order text alike.
      expect(held.map((row) => Object.values(row)).sort()).toEqual([
        ['acme', 'ACME-200', 'invoice', 'ap-a2', 'po-a'],
        ['acme', 'ACME100', 'bill', 'bill-x1', null],
        ['acme', 'ACME300', 'invoice', 'ap-a3', 'po-a'],
        ['acme', 'BILL-9', 'bill', 'bill-x2', null],
        ['acme', 'T500', 'invoice', 'ap-b2', 'po-b'],
        ['beta', 'ACME100', 'invoice', 'ap-c1', 'po-c'],
      ]);
      // The duplicates are still there, as recorded and as payable as before.
      const kept = await db.query<{ id: string }>('SELECT id FROM purchase_order_invoices');
      expect(kept).toHaveLength(invoices.length);

      const numbers = createSupplierInvoiceNumbers();
      const refusal = (supplierId: string, numberKey: string) =>
        db
          .transaction((tx) =>
            numbers.claim(tx, {
              supplierId,
              number: numberKey,
              numberKey,
              holder: { document: 'bill', billId: 'bill-new' },
              at: '2026-11-01T00:00:00.000Z',
            }),
          )
          .then(
            () => null,
            (error: { code: string; extensions: object }) => ({ code: error.code, ...error.extensions }),
          );
      expect(await refusal('acme', 'ACME100')).toEqual({
        code: 'supplier_invoice_number_taken',
        document: 'bill',
        billId: 'bill-x1',
      });
      expect(await refusal('acme', 'T500')).toEqual({
        code: 'supplier_invoice_number_taken',
        document: 'invoice',
        invoiceId: 'ap-b2',
        purchaseOrderId: 'po-b',
      });
      expect(await refusal('beta', 'ACME-200')).toBeNull();
    });
  },
);
