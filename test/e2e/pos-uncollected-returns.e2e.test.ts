import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { fetchHttp, openTerminal, sqliteStorage, type Terminal } from '@tillstream/pos-client/node';
import { uniqueName } from '@tillstream/kernel/testing';
import { ENGINES } from '../support/engines.js';
import { seedShop, type Shop } from '../support/fixtures.js';
import { journalEntryOf, signed } from '../support/journal.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { issueGiftCard, posUrl, registerTerminal } from '../support/pos.js';

/**
 * A sale rung offline with a gift card that held less than it spent stands, and ERP writes the shortfall off.
 * When its goods come back, a till refunds what the sale collected, never the part the card did not pay, and
 * the books take back that much of the write-off: the store is out of pocket only for goods it does not have.
 */
describe.each(ENGINES)('returns of a sale a gift card never fully paid (%s)', (engine) => {
  let platform: TestPlatform;
  let shop: Shop;
  let dir: string;
  let terminal: Terminal | undefined;
  const saleId = uuidv7();
  const card = uniqueName('GC');

  beforeAll(async () => {
    platform = await startPlatform(engine);
    shop = await seedShop(platform, { skuCount: 1, stock: 10, price: 1000, unitCost: 400 });
    dir = mkdtempSync(join(tmpdir(), 'tillstream-uncollected-'));
    await eventually(
      async () => (await platform.request('GET', '/pos/v1/catalog')).body.products?.length >= 1,
      20_000,
      'POS knows the product',
    );
  }, 120_000);
  afterAll(async () => {
    await terminal?.close().catch(() => undefined);
    await platform?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes off what the card could not pay of a sale that arrived from an offline till', async () => {
    const till = await registerTerminal(platform, shop.storeId);
    const issued = await issueGiftCard(platform, {
      number: card,
      amount: 300,
      storeId: shop.storeId,
      terminalId: till.terminalId,
    });
    expect(issued.status).toBe(201);
    // 2 × 10.00, 10.00 by a card holding 3.00 and 10.00 by bank card: 7.00 never collected.
    const synced = await platform.request('POST', '/pos/v1/sync', {
      terminalId: till.terminalId,
      transactions: [
        {
          type: 'sale',
          id: saleId,
          storeId: shop.storeId,
          terminalId: till.terminalId,
          occurredAt: new Date().toISOString(),
          currency: 'EUR',
          lines: [{ sku: shop.skus[0], quantity: 2, unitPrice: 1000 }],
          payments: [
            { method: 'gift_card', amount: 1000, reference: card },
            { method: 'card', amount: 1000 },
          ],
        },
      ],
    });
    expect(synced.body.results).toMatchObject([{ status: 'accepted' }]);
    expect(signed(await journalEntryOf(platform, `${saleId}/1`))).toEqual({ '2200': -700, '6950': 700 });

    terminal = await openTerminal({
      terminalId: till.terminalId,
      storeId: shop.storeId,
      currency: 'EUR',
      storage: sqliteStorage(join(dir, 'till.sqlite')),
      http: fetchHttp({ baseUrl: posUrl(platform), apiKey: till.apiKey }),
      backoff: { baseMs: 20, maxMs: 200 },
      refreshIntervalMs: 60_000,
    });
    await terminal.refresh();
    terminal.start();
    await terminal.openShift(10_000);
  });

  it('refunds a unit brought back at what was collected, and the books undo its share of the write-off', async () => {
    const { saleReturn, refunds } = await terminal!.returnItems({
      originalSaleId: saleId,
      lines: [{ sku: shop.skus[0]!, quantity: 1 }],
    });
    // 10.00 of goods, of which the sale never collected 3.50 (7.00 over 20.00): 6.50 in cash.
    expect(refunds).toEqual([{ method: 'cash', amount: 650 }]);
    await eventually(async () => (await terminal!.status()).pending === 0, 30_000, 'the return synced');
    const stored = await platform.request('GET', `/pos/v1/returns/${saleReturn.id}`);
    expect(stored.body).toMatchObject({ total: 1000, uncollected: 350 });
    expect(signed(await journalEntryOf(platform, saleReturn.id))).toEqual({
      '1000': -650,
      '4100': 1000,
      '6950': -350,
    });
    const { body } = await platform.request(
      'GET',
      `/erp/v1/finance/trial-balance?locationId=${shop.storeId}`,
    );
    const [eur] = body.currencies;
    expect(eur).toMatchObject({ currency: 'EUR', balanced: true });
    const balanceOf = (code: string) =>
      eur.accounts.find((account: { code: string }) => account.code === code)?.balance;
    // The write-off left is the unpaid share of the unit the customer kept.
    expect(balanceOf('6950')).toBe(350);
  });
});
