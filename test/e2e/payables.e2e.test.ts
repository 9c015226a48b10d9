import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@tillstream/kernel/testing';
import { ENGINES } from '../support/engines.js';
import { expectLedgerTrue, putLocation, putProduct } from '../support/inventory.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';

/**
 * Accounts payable controls over the real processes of each engine: a supplier's invoice number is entered
 * once across its purchase orders' invoices and its bills, and goods the valuation booked at nothing are billed.
 */
describe.each(ENGINES)('payables controls (%s)', (engine) => {
  let platform: TestPlatform;
  let warehouse: string;
  let store: string;
  beforeAll(async () => {
    platform = await startPlatform(engine);
    warehouse = await putLocation(platform, 'warehouse');
    store = await putLocation(platform, 'store');
  });
  afterEach(async () => expectLedgerTrue(platform));
  afterAll(async () => platform?.stop());

  const call = (path: string, body?: unknown) => platform.request('POST', `/erp/v1${path}`, body);
  const ok = async (method: string, path: string, body?: unknown) => {
    const response = await platform.request(method, `/erp/v1${path}`, body);
    if (response.status >= 300)
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  /** A submitted order of `supplierId` at the warehouse, all 10 units received; its id and SKU. */
  const receivedOrder = async (supplierId: string) => {
    const sku = await putProduct(platform);
    const id = uniqueName('po');
    await ok('POST', '/purchase-orders', {
      id,
      supplier: { id: supplierId },
      locationId: warehouse,
      currency: 'EUR',
      lines: [{ sku, quantity: 10, unitCost: 200 }],
    });
    await ok('POST', `/purchase-orders/${id}/submit`);
    await ok('POST', `/purchase-orders/${id}/receipts`, {
      id: uniqueName('grn'),
      lines: [{ sku, quantity: 10 }],
    });
    return { id, sku };
  };
  const invoice = (sku: string, supplierInvoiceNumber: string) => ({
    id: uniqueName('ap'),
    supplierInvoiceNumber,
    lines: [{ sku, quantity: 3, unitCost: 200 }],
  });
  const bill = (supplierId: string, supplierInvoiceNumber: string, content: object) => ({
    id: uniqueName('bill'),
    supplierId,
    supplierInvoiceNumber,
    currency: 'EUR',
    invoicedAt: '2026-11-02T00:00:00Z',
    ...content,
  });
  /** A bill of carriage alone: no receipt to wait for. */
  const carriage = (supplierId: string, supplierInvoiceNumber: string) =>
    bill(supplierId, supplierInvoiceNumber, {
      total: 900,
      expenses: [{ account: '6300', amount: 900, description: 'Carriage' }],
    });
  /** Goods received at the store outside any order (no `unitCost`: at the average); the movement's id. */
  const receivedOutsideOrders = async (sku: string, quantity: number) => {
    const id = uniqueName('dsd');
    await ok('POST', '/inventory/adjustments', {
      id,
      sku,
      locationId: store,
      delta: quantity,
      reason: 'received',
      occurredAt: '2026-11-01T06:00:00Z',
    });
    return `adjustment/${id}`;
  };
  const listedAt = async (movementId: string) => {
    const { receipts } = await ok('GET', `/finance/unbilled-receipts?locationId=${store}&limit=500`);
    return (receipts as Array<{ movementId: string; value: number }>).find(
      (row) => row.movementId === movementId,
    );
  };

  it("refuses a supplier's invoice number entered a second way, naming the document that has it", async () => {
    const supplierId = uniqueName('acme');
    const [first, second] = [await receivedOrder(supplierId), await receivedOrder(supplierId)];
    const onOrder = invoice(first.sku, uniqueName('ACME-INV'));
    expect((await call(`/purchase-orders/${first.id}/invoices`, onOrder)).status).toBe(201);

    const asBill = await call(
      '/finance/supplier-bills',
      carriage(supplierId, ` ${onOrder.supplierInvoiceNumber} `),
    );
    expect(asBill.status).toBe(409);
    expect(asBill.headers.get('content-type')).toContain('application/problem+json');
    expect(asBill.body).toMatchObject({
      code: 'supplier_invoice_number_taken',
      document: 'invoice',
      invoiceId: onOrder.id,
      purchaseOrderId: first.id,
    });
    // A consolidated invoice: the same paper matched to the supplier's other order too.
    const consolidated = invoice(second.sku, onOrder.supplierInvoiceNumber);
    expect((await call(`/purchase-orders/${second.id}/invoices`, consolidated)).status).toBe(201);

    const firstBill = carriage(supplierId, uniqueName('ACME-BILL'));
    expect((await call('/finance/supplier-bills', firstBill)).status).toBe(201);
    const onSecond = invoice(second.sku, firstBill.supplierInvoiceNumber.toLowerCase());
    expect(await call(`/purchase-orders/${second.id}/invoices`, onSecond)).toMatchObject({
      status: 409,
      body: { code: 'supplier_invoice_number_taken', document: 'bill', billId: firstBill.id },
    });

    // Retries replay; another supplier's papers may carry the same numbers.
    expect((await call(`/purchase-orders/${first.id}/invoices`, onOrder)).status).toBe(200);
    expect((await call('/finance/supplier-bills', firstBill)).status).toBe(200);
    const other = uniqueName('beta');
    expect(
      (await call('/finance/supplier-bills', carriage(other, onOrder.supplierInvoiceNumber))).status,
    ).toBe(201);
    const theirs = await receivedOrder(other);
    expect(
      (
        await call(
          `/purchase-orders/${theirs.id}/invoices`,
          invoice(theirs.sku, firstBill.supplierInvoiceNumber),
        )
      ).status,
    ).toBe(201);

    // Bad numbers are 400 with a code, never a 500.
    for (const number of ['  ', 'x'.repeat(101), ''])
      for (const answer of [
        await call(`/purchase-orders/${second.id}/invoices`, invoice(second.sku, number)),
        await call('/finance/supplier-bills', carriage(supplierId, number)),
      ])
        expect(answer).toMatchObject({ status: 400, body: { code: 'validation_failed' } });

    const { invoices } = await ok('GET', `/finance/payables/${supplierId}`);
    expect(
      invoices.map((row: { invoiceId: string; billId: string }) => row.invoiceId ?? row.billId).sort(),
    ).toEqual([onOrder.id, consolidated.id, firstBill.id].sort());
  });

  it('takes either the bill or the orders of documents with one number sent at once, never both', async () => {
    const supplierId = uniqueName('acme');
    const [one, two] = [await receivedOrder(supplierId), await receivedOrder(supplierId)];
    const number = uniqueName('TWIN');
    const answers = await Promise.all([
      call(`/purchase-orders/${one.id}/invoices`, invoice(one.sku, number)),
      call(`/purchase-orders/${two.id}/invoices`, invoice(two.sku, number)),
      call('/finance/supplier-bills', carriage(supplierId, number)),
      call('/finance/supplier-bills', carriage(supplierId, number.toLowerCase())),
    ]);
    const taken = answers.map((answer) => answer.status === 201);
    // A bill first takes the number alone; an order's invoice first shares it with the other order only.
    expect([
      [true, true, false, false],
      [false, false, true, false],
      [false, false, false, true],
    ]).toContainEqual(taken);
    for (const refused of answers.filter((answer) => answer.status !== 201))
      expect([refused.status, refused.body.code]).toEqual([409, 'supplier_invoice_number_taken']);
    expect((await ok('GET', `/finance/payables/${supplierId}`)).invoices).toHaveLength(
      taken.filter(Boolean).length,
    );
  });

  it('bills goods of a SKU that never had a cost as price variance, and the books balance', async () => {
    const sku = await putProduct(platform);
    const movementId = await receivedOutsideOrders(sku, 6);
    expect(await eventually(() => listedAt(movementId), 20_000, 'the receipt valued')).toMatchObject({
      value: 0,
    });
    const supplierId = uniqueName('bakery');
    const body = bill(supplierId, uniqueName('DV'), { receipts: [movementId], total: 750 });
    expect(await call('/finance/supplier-bills', body)).toMatchObject({
      status: 201,
      body: { matched: 0, total: 750, receipts: [{ movementId, value: 0 }] },
    });
    expect(await listedAt(movementId)).toBeUndefined();
    const trial = await ok('GET', `/finance/trial-balance?locationId=${store}`);
    const eur = trial.currencies.find((row: { currency: string }) => row.currency === 'EUR');
    expect(eur).toMatchObject({ balanced: true });
    const balances = Object.fromEntries(
      (eur.accounts as Array<{ code: string; balance: number }>).map((row) => [row.code, row.balance]),
    );
    expect(balances).toMatchObject({ '2000': 750, '5200': 750 });
    expect(balances['2310'] ?? 0).toBe(0);
    expect((await ok('GET', `/finance/payables/${supplierId}`)).invoices).toMatchObject([
      { billId: body.id, open: 750 },
    ]);
  });

  /**
   * Holds the valuation back from a receipt while `run` runs: on PostgreSQL by locking the SKU's valuation row,
   * which the valuation writes with the receipt; the embedded engine's SQLite has no such lock, so there the
   * receipt is put in the ledger behind ERP's back, with no event for the valuation to value, and taken out
   * again after. Answers the receipt's movement id.
   */
  const unvalued = async (sku: string, run: (movementId: string) => Promise<void>): Promise<string> => {
    if (platform.databaseUrl) {
      const client = new pg.Client({ connectionString: platform.databaseUrl, options: '-c search_path=erp' });
      await client.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT sku FROM stock_valuations WHERE sku = $1 FOR UPDATE', [sku]);
        const movementId = await receivedOutsideOrders(sku, 2);
        await run(movementId);
        return movementId;
      } finally {
        await client.query('ROLLBACK');
        await client.end();
      }
    }
    const erp = new Database(join(platform.dataDir!, 'erp.sqlite'));
    erp.pragma('busy_timeout = 5000');
    const movementId = `adjustment/${uniqueName('behind')}`;
    const move = (delta: number) =>
      erp
        .prepare(
          'UPDATE stock_balances SET on_hand = on_hand + ?, version = version + ? WHERE sku = ? AND location_id = ?',
        )
        .run(delta, Math.sign(delta), sku, store);
    try {
      erp.transaction(() => {
        erp
          .prepare(
            `INSERT INTO stock_movements (id, sku, location_id, kind, quantity, occurred_at, recorded_at, reference)
             VALUES (?, ?, ?, 'received', 2, '2026-11-01T07:00:00.000Z', '2026-11-01T07:00:00.000Z', ?)`,
          )
          .run(movementId, sku, store, movementId);
        move(2);
      })();
      await run(movementId);
    } finally {
      erp.transaction(() => {
        erp.prepare('DELETE FROM stock_movements WHERE id = ?').run(movementId);
        move(-2);
      })();
      erp.close();
    }
    return movementId;
  };

  it('answers 409 bill_receipt_not_booked for a receipt the valuation has not valued yet', async () => {
    const sku = await putProduct(platform);
    const valued = await receivedOutsideOrders(sku, 1);
    await eventually(() => listedAt(valued), 20_000, 'the first receipt valued');
    const supplierId = uniqueName('bakery');
    const waiting = await unvalued(sku, async (movementId) => {
      expect(
        await call(
          '/finance/supplier-bills',
          bill(supplierId, uniqueName('DV'), { receipts: [movementId], total: 100 }),
        ),
      ).toMatchObject({
        status: 409,
        body: { code: 'bill_receipt_not_booked', movementIds: [movementId] },
      });
    });
    if (engine === 'embedded') return;
    // Let go, the valuation values it, at nothing, and the retried bill is taken.
    const retried = bill(supplierId, uniqueName('DV'), { receipts: [waiting], total: 100 });
    await eventually(
      async () => (await call('/finance/supplier-bills', retried)).status === 201,
      20_000,
      'the retry',
    );
  });
});
