import { describe, expect, it } from 'vitest';
import { foreignEvent, harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { signed, supplierInvoiced } from '../src/finance/finance.fixtures.js';
import { pgUrl, purchaseOrderRig } from './purchase-orders.rig.js';

/** Stock valued at moving average cost from ERP's own stock events, and the entries that keep the books. */
describe.each(harnessDialects(pgUrl))('ERP stock valuation on %s', (dialect) => {
  const rig = purchaseOrderRig(dialect);
  const { ok, call, product, ordered, receipt, deliverOwnEvents: valueStock } = rig;
  const valuationOf = async (sku: string) => {
    const page = await ok('GET', `/finance/inventory-valuation?after=${sku.slice(0, -1)}&limit=500`);
    return (page.items as any[]).find((item) => item.sku === sku);
  };
  const entriesOf = async (kind: string) =>
    (await ok('GET', `/finance/journal?kind=${kind}&limit=500`)).entries as any[];
  const received = (sku: string, delta: number, unitCost?: number) => ({
    id: uniqueName('adj'),
    sku,
    locationId: 'W1',
    delta,
    reason: 'received',
    occurredAt: '2026-11-01T08:00:00Z',
    ...(unitCost !== undefined ? { unitCost } : {}),
  });
  const sale = (sku: string, quantity: number) => {
    const saleId = uniqueName('sale');
    return foreignEvent('pos', 'pos.sale.completed', `sale/${saleId}`, 1, {
      saleId,
      storeId: 'S1',
      terminalId: 't1',
      occurredAt: '2026-11-01T08:30:00Z',
      currency: 'EUR',
      lines: [{ lineNo: 1, sku, quantity, unitPrice: 900, lineTotal: 900 * quantity }],
      payments: [{ method: 'cash', amount: 900 * quantity }],
      total: 900 * quantity,
    });
  };

  it('averages receipts at their cost, sends sales out at the average, and keeps the books with it', async () => {
    const sku = await product();
    const adjustment = received(sku, 10, 400);
    await ok('POST', '/inventory/adjustments', adjustment);
    const orderId = await ordered([{ sku, quantity: 10, unitCost: 600 }]);
    await ok('POST', `/purchase-orders/${orderId}/receipts`, receipt([{ sku, quantity: 10 }]));
    await valueStock();
    expect(await valuationOf(sku)).toEqual({
      sku,
      currency: 'EUR',
      quantity: 20,
      value: 10_000,
      averageUnitCost: 500,
    });
    // The ledger keeps what each receipt cost, the adjustment's and the order's agreed cost alike.
    const ledger = (await ok('GET', `/inventory/${sku}/movements`)).movements as any[];
    expect(ledger.map((row) => [row.kind, row.unitCost])).toEqual([
      ['received', 400],
      ['po_received', 600],
    ]);
    const receipts = (await entriesOf('goods_received')).filter(
      (entry) => entry.sourceId === `adjustment/${adjustment.id}` || entry.sourceId.includes(sku),
    );
    expect(receipts.map((entry) => signed(entry.lines))).toEqual([
      { '1300': 4000, '2310': -4000 },
      { '1300': 6000, '2300': -6000 },
    ]);

    const sold = sale(sku, 3);
    await rig.erp().deliver('pos', sold);
    await valueStock();
    expect(await valuationOf(sku)).toMatchObject({ quantity: 17, value: 8500 });
    const cost = (await entriesOf('cost_of_sales')).find((entry) =>
      entry.sourceId.startsWith(`sale/${(sold.data as any).saleId}`),
    );
    expect(cost).toMatchObject({ channel: 'pos', locationId: 'S1', currency: 'EUR' });
    expect(signed(cost.lines)).toEqual({ '1300': -1500, '5000': 1500 });

    // A shipped transfer moves goods, not value; a count that finds one missing writes it off at the average.
    const transferId = uniqueName('tr');
    await ok('POST', '/transfers', {
      id: transferId,
      sourceId: 'W1',
      destinationId: 'S1',
      lines: [{ sku, quantity: 5 }],
    });
    await ok('POST', `/transfers/${transferId}/ship`);
    await ok('POST', `/transfers/${transferId}/receipts`, {
      id: uniqueName('tr-rcpt'),
      lines: [{ sku, quantity: 5 }],
    });
    await valueStock();
    expect(await valuationOf(sku)).toMatchObject({ quantity: 17, value: 8500 });
    await ok('POST', '/inventory/counts', {
      id: uniqueName('count'),
      locationId: 'S1',
      countedAt: '2026-11-01T09:00:00Z',
      lines: [{ sku, quantity: 1 }],
    });
    await valueStock();
    expect(await valuationOf(sku)).toMatchObject({ quantity: 16, value: 8000 });
    const shrinkage = (await entriesOf('stock_adjustment')).filter((entry) => entry.sourceId.includes(sku));
    expect(shrinkage.map((entry) => signed(entry.lines))).toEqual([{ '1300': -500, '5100': 500 }]);
  });

  it('values each movement once however often its event arrives, and reconciles with the inventory account', async () => {
    const sku = await product();
    await ok('POST', '/inventory/adjustments', received(sku, 4, 250));
    const events = await valueStock();
    // The same events again, one by one and as a batch: the inbox applies none of them twice.
    for (const event of events) await rig.erp().deliver('erp', event);
    await rig.erp().deliverAll('erp', events);
    expect(await valuationOf(sku)).toMatchObject({ quantity: 4, value: 1000, averageUnitCost: 250 });
    const report = await ok('GET', '/finance/inventory-valuation?currency=EUR&limit=1');
    expect(report.items).toHaveLength(1);
    expect(report.next).toBe(report.items[0].sku);
    // A page that holds the last SKU says so, rather than sending the reader to an empty one.
    const whole = await ok(
      'GET',
      `/finance/inventory-valuation?currency=EUR&limit=${report.currencies[0].skus}`,
    );
    expect(whole.items).toHaveLength(report.currencies[0].skus);
    expect(whole.next).toBeNull();
    const [eur] = report.currencies;
    expect(eur).toMatchObject({ currency: 'EUR', reconciled: true });
    expect(eur.value).toBe(eur.books);
    const trial = await ok('GET', '/finance/trial-balance');
    const inventory = trial.currencies[0].accounts.find((account: any) => account.code === '1300');
    expect(inventory.balance).toBe(eur.value);
  });

  it('moves what a supplier invoices off goods received not invoiced, once, the price difference as variance', async () => {
    const orderId = uniqueName('po');
    const invoiced = foreignEvent(
      'erp',
      'erp.purchase_order.invoiced',
      `purchase-order/${orderId}`,
      3,
      supplierInvoiced(orderId, 3680, 'W1'),
    );
    await rig.erp().deliver('erp', invoiced);
    await rig.erp().deliver('erp', invoiced);
    await rig.erp().allFinished();
    const entries = (await entriesOf('supplier_invoice')).filter(
      (entry) => entry.sourceId === `${orderId}/inv-1`,
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ locationId: 'W1', occurredAt: '2026-03-12T00:00:00.000Z' });
    expect(signed(entries[0].lines)).toEqual({ '2000': -3680, '2300': 3600, '5200': 80 });
  });

  it('holds on 2300 exactly what the orders received and were not invoiced for, order by order', async () => {
    const location = uniqueName('W');
    await ok('PUT', `/locations/${location}`, { name: location, kind: 'warehouse' });
    const [a, b, c] = [await product(), await product(), await product()];
    const ordered = async (lines: Array<{ sku: string; quantity: number; unitCost: number }>) => {
      const body = rig.order(lines, location);
      await ok('POST', '/purchase-orders', body);
      await ok('POST', `/purchase-orders/${body.id}/submit`);
      return body.id;
    };
    const first = await ordered([
      { sku: a, quantity: 10, unitCost: 300 },
      { sku: b, quantity: 4, unitCost: 1200 },
    ]);
    // Six of a arrive with one c the order did not list (it waits on 2310, not 2300); four of a are billed.
    await ok(
      'POST',
      `/purchase-orders/${first}/receipts`,
      receipt([
        { sku: a, quantity: 6 },
        { sku: c, quantity: 1 },
      ]),
    );
    await ok('POST', `/purchase-orders/${first}/invoices`, {
      id: uniqueName('ap'),
      supplierInvoiceNumber: 'INV-1',
      lines: [{ sku: a, quantity: 4, unitCost: 310 }],
    });
    const second = await ordered([{ sku: b, quantity: 2, unitCost: 1100 }]);
    await ok('POST', `/purchase-orders/${second}/receipts`, receipt([{ sku: b, quantity: 2 }]));
    await ok('POST', `/purchase-orders/${second}/invoices`, {
      id: uniqueName('ap'),
      supplierInvoiceNumber: 'INV-2',
      lines: [{ sku: b, quantity: 2, unitCost: 1100 }],
    });
    const third = await ordered([{ sku: c, quantity: 3, unitCost: 500 }]);
    await valueStock();

    const awaiting = await ok('GET', `/purchase-orders?locationId=${location}&awaitingInvoice=true`);
    expect(awaiting.purchaseOrders.map((order: any) => [order.id, order.awaitingInvoice])).toEqual([
      [first, 600],
    ]);
    const settled = await ok('GET', `/purchase-orders?locationId=${location}&awaitingInvoice=false`);
    expect(settled.purchaseOrders.map((order: any) => order.id).sort()).toEqual([second, third].sort());
    const trial = await ok('GET', `/finance/trial-balance?locationId=${location}`);
    const balance = (code: string) =>
      trial.currencies[0].accounts.find((account: any) => account.code === code)?.balance ?? 0;
    expect(balance('2300')).toBe(600);
    expect(balance('2000')).toBe(1240 + 2200);
    expect(balance('5200')).toBe(40);
    expect((await call('GET', '/purchase-orders?awaitingInvoice=maybe')).status).toBe(400);
  });

  it('takes a unit cost only with goods received, and a purchase order only in its products’ currency', async () => {
    const sku = await product();
    const damaged = { ...received(sku, -1, 100), reason: 'damaged' };
    const refused = await call('POST', '/inventory/adjustments', damaged);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('unit_cost_not_applicable');
    // Nothing was written: the id is still free for the same adjustment without a cost.
    expect((await rig.stockAt(sku, 'W1'))?.onHand ?? 0).toBe(0);
    const negative = await call('POST', '/inventory/adjustments', received(sku, 1, -5));
    expect(negative.status).toBe(400);
    const fraction = await call('POST', '/inventory/adjustments', { ...received(sku, 1), unitCost: '250' });
    expect(fraction.status).toBe(400);

    const body = received(sku, 2, 300);
    expect((await call('POST', '/inventory/adjustments', body)).status).toBe(201);
    expect((await call('POST', '/inventory/adjustments', body)).status).toBe(200);
    const otherCost = await call('POST', '/inventory/adjustments', { ...body, unitCost: 301 });
    expect(otherCost.status).toBe(409);
    expect(otherCost.body.code).toBe('adjustment_id_conflict');

    const dollars = await call('POST', '/purchase-orders', {
      ...rig.order([{ sku, quantity: 1, unitCost: 5 }]),
      currency: 'USD',
    });
    expect(dollars.status).toBe(422);
    expect(dollars.body).toMatchObject({ code: 'purchase_order_currency_mismatch', skus: [sku] });

    for (const query of ['currency=eur', 'limit=0', 'limit=501', 'after=%20', 'sku=x'])
      expect((await call('GET', `/finance/inventory-valuation?${query}`)).status, query).toBe(400);
  });
});
