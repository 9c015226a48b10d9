import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findEventContract } from '@tillstream/contracts';
import { uniqueName } from '@tillstream/kernel/testing';
import { ENGINES } from '../support/engines.js';
import { hubEvents } from '../support/fixtures.js';
import { schemaAjv as ajv } from '../support/schemas.js';
import { expectLedgerTrue, putLocation, putProduct, stockAt } from '../support/inventory.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';

/** Goods ordered from a supplier and received at a warehouse, over the real processes of each engine. */
describe.each(ENGINES)('purchase orders (%s)', (engine) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startPlatform(engine);
  });
  afterEach(async () => expectLedgerTrue(platform));
  afterAll(async () => platform?.stop());

  const post = async (path: string, body?: unknown) => {
    const response = await platform.request('POST', `/erp/v1${path}`, body);
    if (response.status >= 300)
      throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  /** What the storefront shows once its projection has caught up (`null` until the product is there). */
  const storefrontAvailable = async (sku: string) => {
    const response = await platform.request('GET', `/commerce/v1/products/${sku}`);
    return response.status === 200 ? (response.body.available as number) : null;
  };

  it('puts received goods into ERP stock and on sale online, and what is still owed on order', async () => {
    // A new warehouse is in the default web channel, so its stock is for sale online.
    const warehouse = await putLocation(platform, 'warehouse');
    const sku = await putProduct(platform);
    const id = uniqueName('po');
    const content = {
      supplier: { id: 'acme', name: 'Acme Textiles' },
      locationId: warehouse,
      expectedAt: '2026-11-08T09:00:00Z',
      currency: 'EUR',
      lines: [{ sku, quantity: 6, unitCost: 450 }],
    };
    await post('/purchase-orders', { id, ...content });
    // The draft is corrected before it goes out: 8 units, not 6.
    const edited = await platform.request('PUT', `/erp/v1/purchase-orders/${id}`, {
      ...content,
      lines: [{ sku, quantity: 8, unitCost: 450 }],
    });
    expect(edited).toMatchObject({ status: 200, body: { status: 'draft', version: 1, total: 3600 } });
    await post(`/purchase-orders/${id}/submit`);
    expect(await stockAt(platform, sku, warehouse)).toMatchObject({ onHand: 0, onOrder: 8 });
    await eventually(async () => (await storefrontAvailable(sku)) === 0, 20_000, `${sku} in the storefront`);

    const partial = await post(`/purchase-orders/${id}/receipts`, {
      id: uniqueName('grn'),
      lines: [{ sku, quantity: 5 }],
    });
    expect(partial).toMatchObject({ status: 'partially_received', version: 3 });
    expect(await stockAt(platform, sku, warehouse)).toMatchObject({ onHand: 5, available: 5, onOrder: 3 });
    await eventually(async () => (await storefrontAvailable(sku)) === 5, 20_000, `${sku} shows 5 online`);

    const closed = await post(`/purchase-orders/${id}/receipts`, {
      id: uniqueName('grn'),
      lines: [{ sku, quantity: 2 }],
      close: true,
    });
    expect(closed.discrepancies).toEqual([{ sku, ordered: 8, received: 7, difference: -1 }]);
    expect(closed.receipts.map((taken: { lines: unknown }) => taken.lines)).toEqual([
      [{ sku, quantity: 5 }],
      [{ sku, quantity: 2 }],
    ]);
    expect(await stockAt(platform, sku, warehouse)).toMatchObject({ onHand: 7, onOrder: 0 });
    await eventually(async () => (await storefrontAvailable(sku)) === 7, 20_000, `${sku} shows 7 online`);

    // The supplier bills the 7 units that came at 4.60 a unit instead of the agreed 4.50.
    const invoiced = await post(`/purchase-orders/${id}/invoices`, {
      id: uniqueName('ap'),
      supplierInvoiceNumber: 'ACME-INV-1',
      lines: [{ sku, quantity: 7, unitCost: 460 }],
    });
    expect(invoiced).toMatchObject({
      status: 'received',
      version: 5,
      invoices: [{ total: 3220, matched: 3150 }],
    });

    // The order's events travel the engine's real bus to the hub, in version order (the edit published none).
    let events: Awaited<ReturnType<typeof hubEvents>> = [];
    await eventually(async () => {
      events = (await hubEvents(platform)).filter((event) => event.subject === `purchase-order/${id}`);
      return (
        events.map((event) => `${event.type}@${event.sequence}`).join() ===
        'erp.purchase_order.submitted@2,erp.purchase_order.received@3,erp.purchase_order.received@4,' +
          'erp.purchase_order.invoiced@5'
      );
    });
    const invoice = events.at(-1)!;
    expect(
      ajv.validate(findEventContract(invoice.type, 1)!.dataSchema, invoice.data),
      JSON.stringify(ajv.errors),
    ).toBe(true);
    expect(invoice.data).toMatchObject({
      invoice: {
        lines: [{ sku, quantity: 7, unitCost: 460, orderedUnitCost: 450 }],
        total: 3220,
        matched: 3150,
      },
    });

    // The books: 7 units came in at 4.50, owed on 2300 until billed; the bill moves them to the supplier's
    // account at what it charges, the 0.10 a unit more as price variance.
    let balances: Record<string, number> = {};
    await eventually(
      async () => {
        const trial = await platform.request('GET', `/erp/v1/finance/trial-balance?locationId=${warehouse}`);
        const accounts = (trial.body.currencies?.[0]?.accounts ?? []) as Array<{
          code: string;
          balance: number;
        }>;
        balances = Object.fromEntries(accounts.map((account) => [account.code, account.balance]));
        return balances['2000'] !== undefined;
      },
      20_000,
      'the invoice is in the books',
    );
    expect(balances).toEqual({ '1300': 3150, '2000': 3220, '2300': 0, '5200': 70 });
  });
});
