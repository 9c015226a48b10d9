import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fetchHttp,
  openTerminal,
  sqliteStorage,
  type HttpPort,
  type Terminal,
} from '@tillstream/pos-client/node';
import { ENGINES } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { uniqueName } from '@tillstream/kernel/testing';
import { hubEvents, seedShop, uniqueGtin, waitForOnHand, type Shop } from '../support/fixtures.js';
import { startFlakyProxy, type Fault, type FlakyProxy } from '../support/flaky-proxy.js';
import { posUrl, registerTerminal, serverSales } from '../support/pos.js';

/**
 * Uploads without an answer after this long are given up; the proxy holds lost answers past it. Short, so the
 * lost answers the first test injects cost little; an upload that is merely slow counts as lost too, which
 * the sync protocol must (and does) absorb like any other.
 */
const SYNC_TIMEOUT_MS = 400;

describe.each(ENGINES)('store terminals: the SDK over a flaky network (%s)', (engine) => {
  let platform: TestPlatform;
  let shop: Shop;
  let proxy: FlakyProxy;
  let dir: string;
  const open: Terminal[] = [];

  /**
   * Uploads give up after SYNC_TIMEOUT_MS; downloads (catalog, prices, the terminal's own record) meet no fault
   * and keep the SDK's default bound: one answered in more than 400 ms on a loaded machine is slow, not lost,
   * and nothing here promises otherwise.
   */
  const tillHttp = (apiKey: string): HttpPort => {
    const uploads = fetchHttp({ baseUrl: proxy.url, apiKey, timeoutMs: SYNC_TIMEOUT_MS });
    const downloads = fetchHttp({ baseUrl: proxy.url, apiKey });
    return {
      request: (method, path, options) =>
        (path.startsWith('/pos/v1/sync') ? uploads : downloads).request(method, path, options),
    };
  };
  const terminalAt = async (file: string, till: { terminalId: string; apiKey: string }) => {
    const terminal = await openTerminal({
      terminalId: till.terminalId,
      storeId: shop.storeId,
      currency: 'EUR',
      storage: sqliteStorage(join(dir, file)),
      http: tillHttp(till.apiKey),
      batchSize: 4,
      backoff: { baseMs: 20, maxMs: 200 },
      refreshIntervalMs: 60_000,
    });
    open.push(terminal);
    return terminal;
  };
  const drained = (terminal: Terminal, timeoutMs = 30_000) =>
    eventually(async () => (await terminal.status()).pending === 0, timeoutMs, 'the queue drained');

  beforeAll(async () => {
    platform = await startPlatform(engine);
    shop = await seedShop(platform, { skuCount: 3, stock: 100 });
    proxy = await startFlakyProxy(posUrl(platform), { holdMs: SYNC_TIMEOUT_MS * 3 });
    dir = mkdtempSync(join(tmpdir(), 'tillstream-sdk-'));
    // POS learns the products from ERP events; the terminal downloads them from POS.
    await eventually(
      async () => (await platform.request('GET', '/pos/v1/catalog')).body.products?.length >= 3,
      20_000,
      'POS knows the products',
    );
  });
  afterAll(async () => {
    for (const terminal of open) await terminal.close().catch(() => undefined);
    await proxy?.close();
    await platform?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lands every sale exactly once through dropped requests, lost answers and duplicated deliveries', async () => {
    const till = await registerTerminal(platform, shop.storeId);
    const terminal = await terminalAt('flaky.sqlite', till);
    await terminal.refresh();
    expect(terminal.products().length).toBeGreaterThanOrEqual(3);
    const script: Fault[] = [
      'drop',
      'lose_answer',
      'duplicate',
      'pass',
      'lose_answer',
      'drop',
      'duplicate',
      'pass',
    ];
    proxy.plan((n, request) =>
      request.path.startsWith('/pos/v1/sync') ? script[n % script.length]! : 'pass',
    );
    terminal.start();
    await terminal.openShift(10_000);
    const sold = new Map<string, number>();
    const receipts: string[] = [];
    for (let index = 0; index < 24; index += 1) {
      const sku = shop.skus[index % 3]!;
      const receipt = await terminal.sell({
        lines: [{ sku, quantity: 1 }],
        tenders: index % 2 === 0 ? [{ method: 'cash', tendered: 1000 }] : [{ method: 'card' }],
      });
      expect(receipt.change).toBe(index % 2 === 0 ? 500 : 0);
      receipts.push(receipt.sale.id);
      sold.set(sku, (sold.get(sku) ?? 0) + 1);
      if (index % 6 === 5) await new Promise((done) => setTimeout(done, 50));
    }
    await terminal.closeShift(10_000 + 12 * 500);
    await drained(terminal);
    proxy.plan(() => 'pass');
    for (const fault of ['drop', 'lose_answer', 'duplicate'] as const)
      expect(proxy.counts[fault]).toBeGreaterThan(0);

    const sales = await serverSales(platform, till.terminalId);
    expect(sales.map((sale) => sale.id).sort()).toEqual([...receipts].sort());
    expect(new Set(sales.map((sale) => sale.receiptNo)).size).toBe(24);
    for (const [sku, count] of sold) await waitForOnHand(platform, sku, shop.storeId, 100 - count);
    // The hub indexes events asynchronously: wait for all of them, then check none came twice.
    const saleEvents = async () =>
      (await hubEvents(platform, 'pos.sale.completed')).filter(
        (event) => event.data.terminalId === till.terminalId,
      );
    await eventually(async () => (await saleEvents()).length >= 24, 20_000, 'the hub lists every sale');
    expect(await saleEvents()).toHaveLength(24);
    const movements = async () =>
      (await hubEvents(platform, 'erp.stock.changed')).filter((event) =>
        receipts.some((id) => event.data.movement.id.startsWith(`sale/${id}/`)),
      );
    await eventually(async () => (await movements()).length >= 24, 20_000, 'the hub lists every movement');
    expect(await movements()).toHaveLength(24);
    const shiftId = sales[0].shiftId;
    const shift = await platform.request('GET', `/pos/v1/shifts/${shiftId}`);
    expect(shift.body).toMatchObject({ status: 'closed', report: { sales: { count: 24, net: 12_000 } } });
    expect(shift.body.report.cash).toMatchObject({ expected: 16_000, counted: 16_000, overShort: 0 });
  }, 60_000);

  it('finishes the job after a restart with a non-empty queue', async () => {
    const till = await registerTerminal(platform, shop.storeId);
    let terminal = await terminalAt('restart.sqlite', till);
    await terminal.refresh();
    proxy.setOffline(true);
    await terminal.openShift(0);
    const ids: string[] = [];
    for (let index = 0; index < 10; index += 1)
      ids.push(
        (await terminal.sell({ lines: [{ sku: shop.skus[0]!, quantity: 1 }], tenders: [{ method: 'card' }] }))
          .sale.id,
      );
    expect(await terminal.sync()).toBeNull();
    expect(await terminal.status()).toMatchObject({ online: false, pending: 11 });
    await terminal.close();
    open.splice(open.indexOf(terminal), 1);

    proxy.setOffline(false);
    terminal = await terminalAt('restart.sqlite', till);
    expect(await terminal.status()).toMatchObject({ pending: 11, shift: { seq: 1, receipts: 10 } });
    const next = await terminal.sell({
      lines: [{ sku: shop.skus[0]!, quantity: 1 }],
      tenders: [{ method: 'card' }],
    });
    expect(next.sale.receiptNo).toBe(`${till.terminalId}-1-11`);
    ids.push(next.sale.id);
    terminal.start();
    await drained(terminal);
    expect((await serverSales(platform, till.terminalId)).map((sale) => sale.id).sort()).toEqual(
      [...ids].sort(),
    );
    expect(await terminal.status()).toMatchObject({ online: true, pending: 0, synced: 12, quarantined: 0 });
  });

  it('sells offline what the web shop sold meanwhile: the sale stands, ERP flags negative stock', async () => {
    const till = await registerTerminal(platform, shop.storeId);
    const terminal = await terminalAt('oversold.sqlite', till);
    const sku = uniqueName('LAST');
    await platform.request('PUT', `/erp/v1/products/${sku}`, {
      name: 'Last one',
      price: { amount: 900, currency: 'EUR' },
    });
    await platform.request('POST', '/erp/v1/inventory/adjustments', {
      id: uniqueName('receipt'),
      sku,
      locationId: shop.storeId,
      delta: 1,
      reason: 'received',
      occurredAt: '2026-11-01T08:00:00Z',
    });
    await eventually(async () => {
      await terminal.refresh();
      return terminal.products().some((product) => product.sku === sku);
    }, 20_000);
    proxy.setOffline(true);
    await terminal.openShift(0);
    const held = await platform.request('POST', '/erp/v1/reservations', {
      id: uniqueName('web-order'),
      channel: 'web',
      lines: [{ sku, quantity: 1, locationId: shop.storeId }],
      expiresInSeconds: 600,
    });
    expect(held.status).toBe(201);
    expect((await platform.request('POST', `/erp/v1/reservations/${held.body.id}/commit`, {})).status).toBe(
      200,
    );
    const receipt = await terminal.sell({ lines: [{ sku, quantity: 1 }], tenders: [{ method: 'card' }] });
    proxy.setOffline(false);
    terminal.wake();
    terminal.start();
    await drained(terminal);
    await waitForOnHand(platform, sku, shop.storeId, -1);
    const exceptions = await eventually(
      async () => {
        const response = await platform.request('GET', '/erp/v1/stock-exceptions');
        const list = (response.body.exceptions ?? response.body) as any[];
        return list.find((exception) => exception.sku === sku);
      },
      20_000,
      'a stock exception for the oversold SKU',
    );
    expect(exceptions).toMatchObject({ sku, locationId: shop.storeId });
    expect((await platform.request('GET', `/pos/v1/sales/${receipt.sale.id}`)).status).toBe(200);
  });

  it('finds a product by the barcode ERP gives it, in any GTIN form, offline too', async () => {
    const till = await registerTerminal(platform, shop.storeId);
    const terminal = await terminalAt('scan.sqlite', till);
    const sku = uniqueName('COLA');
    const put = await platform.request('PUT', `/erp/v1/products/${sku}`, {
      name: 'Cola can',
      price: { amount: 150, currency: 'EUR' },
      barcodes: [uniqueGtin()],
    });
    expect(put.status).toBe(201);
    const [barcode] = put.body.barcodes as [string];
    await eventually(async () => {
      await terminal.refresh();
      return terminal.search(barcode, 1)[0]?.sku === sku;
    }, 20_000);
    proxy.setOffline(true);
    // The scanner sends the EAN-13 the UPC-A is printed as: the same GTIN.
    expect(terminal.search(`0${barcode}`, 1)[0]?.sku).toBe(sku);
    proxy.setOffline(false);
  });

  it('learns that ERP archived a product, and still gets the sale of a unit the store sold off', async () => {
    const till = await registerTerminal(platform, shop.storeId);
    const terminal = await terminalAt('archived.sqlite', till);
    const sku = uniqueName('LAST');
    const product = { name: 'Last season', price: { amount: 900, currency: 'EUR' } };
    expect((await platform.request('PUT', `/erp/v1/products/${sku}`, product)).status).toBe(201);
    const statusOnTill = () => terminal.products().find((known) => known.sku === sku)?.status;
    await eventually(async () => {
      await terminal.refresh();
      return statusOnTill() === 'active';
    }, 20_000);

    const archived = await platform.request('PUT', `/erp/v1/products/${sku}`, {
      ...product,
      status: 'archived',
    });
    expect(archived.status).toBe(200);
    // The till holds a revision: the change reaches it through the catalog's changes, not a new download.
    await eventually(
      async () => {
        await terminal.refresh();
        return statusOnTill() === 'archived';
      },
      20_000,
      'the till knows the product is archived',
    );

    proxy.setOffline(true);
    await terminal.openShift(0);
    const receipt = await terminal.sell({ lines: [{ sku, quantity: 1 }], tenders: [{ method: 'card' }] });
    proxy.setOffline(false);
    terminal.wake();
    terminal.start();
    await drained(terminal);
    expect((await serverSales(platform, till.terminalId)).map((sale) => sale.id)).toContain(receipt.sale.id);
    expect((await terminal.status()).quarantined).toBe(0);
  });

  it('sells offline at a price that changed meanwhile: ERP raises a price mismatch', async () => {
    const till = await registerTerminal(platform, shop.storeId);
    const terminal = await terminalAt('stale-price.sqlite', till);
    const sku = uniqueName('PRICE');
    await platform.request('PUT', `/erp/v1/products/${sku}`, {
      name: 'Repriced',
      price: { amount: 500, currency: 'EUR' },
    });
    await eventually(
      async () => {
        await terminal.refresh();
        const known = terminal.products().some((product) => product.sku === sku);
        return known && terminal.price([{ sku, quantity: 1 }]).snapshotVersion !== null;
      },
      20_000,
      'the terminal has a snapshot pricing the SKU',
    );
    proxy.setOffline(true);
    await terminal.openShift(0);
    await platform.request('PUT', `/erp/v1/products/${sku}`, {
      name: 'Repriced',
      price: { amount: 700, currency: 'EUR' },
    });
    // Another till polling now gets the new price: from this moment the old snapshot is stale.
    expect((await platform.request('GET', '/erp/v1/pricing/snapshot')).status).toBe(200);
    await new Promise((done) => setTimeout(done, 20));
    const receipt = await terminal.sell({
      lines: [{ sku, quantity: 1 }],
      tenders: [{ method: 'cash', tendered: 500 }],
    });
    expect(receipt.sale.lines[0]).toMatchObject({ unitPrice: 500 });
    proxy.setOffline(false);
    terminal.start();
    await drained(terminal);
    const mismatch = await eventually(
      async () => {
        const response = await platform.request('GET', `/erp/v1/price-mismatches?saleId=${receipt.sale.id}`);
        return response.body.mismatches?.[0];
      },
      20_000,
      'a price mismatch for the sale',
    );
    // The till priced right by its snapshot, but a newer one was out when it sold.
    expect(mismatch).toMatchObject({ saleId: receipt.sale.id, reason: 'stale_snapshot', actualTotal: 500 });
  });
});
