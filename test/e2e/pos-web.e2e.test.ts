import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { uniqueName } from '@tillstream/kernel/testing';
import { eventually, type TestPlatform } from '../support/platform.js';
import { hubEvents, waitForOnHand, type Shop } from '../support/fixtures.js';
import { registerTerminal, serverSales } from '../support/pos.js';
import { putStoreTaxRate } from '../support/pricing.js';
import { openTill, startBrowserShop, type BrowserShop } from '../support/browser-till.js';
import { CHROMIUM, chromiumAvailable } from '../support/web-app.js';

const title = chromiumAvailable
  ? 'the terminal web app in a real browser (embedded)'
  : `the terminal web app in a real browser: SKIPPED, no chromium at ${CHROMIUM} (bash scripts/install-chromium.sh)`;

describe.skipIf(!chromiumAvailable)(title, () => {
  let rig: BrowserShop;
  let platform: TestPlatform;
  let shop: Shop;

  beforeAll(async () => {
    rig = await startBrowserShop();
    ({ platform, shop } = rig);
  });
  afterAll(async () => rig?.stop());

  const ring = async (page: Page, sku: string, pay: 'card' | 'cash') => {
    await page.getByTestId(`product-${sku}`).click();
    if (pay === 'card') await page.getByTestId('pay-card').click();
    else {
      await page.getByTestId('cash-tendered').fill('5');
      await page.getByTestId('pay-cash').click();
      await expect
        .poll(() => page.getByTestId('change').textContent(), { timeout: 10_000 })
        .toContain('1.50');
    }
    await page.getByTestId('receipt').waitFor();
    expect(await page.getByTestId('receipt-included-tax').textContent()).toContain('0.61');
    await page.getByTestId('new-sale').click();
  };
  const pending = (page: Page) => page.getByTestId('pending-count').textContent();
  /** The terminal's sales once the server has `count` of them. */
  const serverSalesEventually = async (terminalId: string, count: number) => {
    await eventually(
      async () => (await serverSales(platform, terminalId)).length >= count,
      20_000,
      `${count} sales synced`,
    );
    return serverSales(platform, terminalId);
  };

  it('sells online (a scanned barcode too), keeps selling offline through a reload, and syncs every sale exactly once', async () => {
    // Prices here include 21 % VAT: each receipt states the tax inside its 3.50, 0.61.
    await putStoreTaxRate(platform, shop.storeId, { ratePpm: 210_000, inclusive: true });
    const till = await registerTerminal(platform, shop.storeId);
    const { context, page } = await openTill(rig, till, { width: 1280, height: 800 });
    await page.getByTestId('open-shift').click();
    const [first, second] = shop.skus as [string, string];
    await page.getByTestId(`product-${first}`).waitFor();

    await ring(page, first, 'card');
    await expect.poll(() => pending(page), { timeout: 20_000 }).toBe('0');

    // A scan: the barcode ERP gives the second product reaches the till, and Enter on it rings the product up.
    const barcode = '4006381333931';
    const product = (await platform.request('GET', `/erp/v1/products/${second}`)).body;
    const tagged = await platform.request('PUT', `/erp/v1/products/${second}`, {
      name: product.name,
      price: product.price,
      barcodes: [barcode],
    });
    expect(tagged.status).toBe(200);
    await eventually(
      async () =>
        (await platform.request('GET', '/pos/v1/catalog')).body.products.some(
          (each: { sku: string; barcodes: string[] }) =>
            each.sku === second && each.barcodes.includes(barcode),
        ),
      20_000,
      'POS hands the barcode to its tills',
    );
    await page.reload();
    await page.getByTestId(`product-${first}`).waitFor();
    await page.getByTestId('search').fill(barcode);
    await page.getByTestId('search').press('Enter');
    await expect.poll(() => page.getByTestId('total').textContent(), { timeout: 10_000 }).toContain('3.50');
    await page.getByTestId('pay-card').click();
    await page.getByTestId('receipt').waitFor();
    await page.getByTestId('new-sale').click();
    await expect.poll(() => pending(page), { timeout: 20_000 }).toBe('0');
    // The service worker has cached the whole app before the network goes.
    expect(await page.evaluate('navigator.serviceWorker.ready.then((ready) => ready.active.state)')).toBe(
      'activated',
    );

    await context.setOffline(true);
    await expect
      .poll(() => page.getByTestId('net-status').textContent(), { timeout: 10_000 })
      .toBe('Offline');
    for (let index = 0; index < 10; index += 1) await ring(page, index % 2 === 0 ? first : second, 'cash');
    await expect.poll(() => pending(page), { timeout: 10_000 }).toBe('10');

    await page.reload();
    await page.getByTestId(`product-${first}`).waitFor();
    expect(await pending(page)).toBe('10');
    expect(await page.getByTestId('net-status').textContent()).toBe('Offline');
    await page.screenshot({ path: join(tmpdir(), 'tillstream-pos-web.png') });

    await context.setOffline(false);
    await expect.poll(() => pending(page), { timeout: 30_000 }).toBe('0');
    await expect.poll(() => page.getByTestId('net-status').textContent(), { timeout: 10_000 }).toBe('Online');

    const sales = await serverSales(platform, till.terminalId);
    expect(sales).toHaveLength(12);
    expect(sales.filter((sale) => sale.payments[0].method === 'cash')).toHaveLength(10);
    expect(new Set(sales.map((sale) => sale.receiptNo)).size).toBe(12);
    expect(sales.map((sale) => sale.lines[0].includedTax)).toEqual(
      Array(12).fill({ ratePpm: 210_000, amount: 61 }),
    );
    await waitForOnHand(platform, first, shop.storeId, 50 - 6);
    await waitForOnHand(platform, second, shop.storeId, 50 - 6);
    const movements = async () =>
      (await hubEvents(platform, 'erp.stock.changed')).filter((event) =>
        sales.some((sale) => event.data.movement.id === `sale/${sale.id}/${sale.lines[0].sku}`),
      );
    await eventually(async () => (await movements()).length >= 12, 20_000, 'the hub lists every movement');
    expect(await movements()).toHaveLength(12);
    await context.close();
  }, 90_000);

  it('keeps the basket being rung up through a reload, and starts empty after its sale', async () => {
    const till = await registerTerminal(platform, shop.storeId);
    const { context, page } = await openTill(rig, till, { width: 1280, height: 800 });
    await page.getByTestId('open-shift').click();
    const [first, second] = shop.skus as [string, string];
    await page.getByTestId(`product-${first}`).click();
    await page.getByTestId(`product-${first}`).click();
    await page.getByTestId(`product-${second}`).click();
    await expect.poll(() => page.getByTestId('total').textContent(), { timeout: 10_000 }).toContain('10.50');
    // An app update or a slip of the finger: the cashier does not scan the basket again.
    await page.reload();
    await expect.poll(() => page.getByTestId('total').textContent(), { timeout: 10_000 }).toContain('10.50');
    await page.getByTestId('pay-card').click();
    await page.getByTestId('receipt').waitFor();
    await page.getByTestId('new-sale').click();
    await page.reload();
    await page.getByTestId(`product-${first}`).waitFor();
    expect(await page.getByTestId('total').textContent()).toContain('0.00');
    const [sale] = await serverSalesEventually(till.terminalId, 1);
    expect(sale.lines.map((line: { sku: string; quantity: number }) => [line.sku, line.quantity])).toEqual([
      [first, 2],
      [second, 1],
    ]);
    await context.close();
  }, 60_000);

  it('stops offering a product ERP discontinued, yet finds it scanned and sells off what is left', async () => {
    const till = await registerTerminal(platform, shop.storeId);
    const [first, second] = shop.skus as [string, string];
    const product = (await platform.request('GET', `/erp/v1/products/${second}`)).body;
    const archived = await platform.request('PUT', `/erp/v1/products/${second}`, {
      name: product.name,
      price: product.price,
      barcodes: product.barcodes,
      status: 'archived',
    });
    expect(archived.status).toBe(200);
    await eventually(
      async () =>
        (await platform.request('GET', '/pos/v1/catalog')).body.products.some(
          (each: { sku: string; status: string }) => each.sku === second && each.status === 'archived',
        ),
      20_000,
      'POS hands the status to its tills',
    );
    const { context, page } = await openTill(rig, till, { width: 1280, height: 800 });
    await page.getByTestId('open-shift').click();
    await page.getByTestId(`product-${first}`).waitFor();
    expect(await page.getByTestId(`product-${second}`).count()).toBe(0);

    await page.getByTestId('search').fill(second);
    expect(await page.getByTestId(`not-offered-${second}`).textContent()).toBe('Discontinued');
    await page.getByTestId('search').press('Enter');
    await expect.poll(() => page.getByTestId('total').textContent(), { timeout: 10_000 }).toContain('3.50');
    await page.getByTestId('pay-card').click();
    await page.getByTestId('receipt').waitFor();
    await eventually(
      async () => (await serverSales(platform, till.terminalId)).length === 1,
      20_000,
      'the sale of a discontinued product reaches the server',
    );
    await context.close();
  }, 60_000);

  it('rounds a cash sale to 5 cents where the store rounds cash, shows it on the receipt, and closes the shift exact', async () => {
    const store = (await platform.request('GET', `/erp/v1/locations/${shop.storeId}`)).body;
    const rounding = await platform.request('PUT', `/erp/v1/locations/${shop.storeId}`, {
      name: store.name,
      kind: 'store',
      cashRoundingIncrement: 5,
    });
    expect(rounding.status).toBe(200);
    const sku = uniqueName('ROUND');
    const put = await platform.request('PUT', `/erp/v1/products/${sku}`, {
      name: 'Stroopwafels',
      price: { amount: 998, currency: 'EUR' },
    });
    expect(put.status).toBe(201);
    await eventually(
      async () => {
        const [facts, catalog] = await Promise.all([
          platform.request('GET', `/pos/v1/stores/${shop.storeId}`),
          platform.request('GET', '/pos/v1/catalog'),
        ]);
        return (
          facts.body.cashRoundingIncrement === 5 &&
          catalog.body.products.some((each: { sku: string }) => each.sku === sku)
        );
      },
      20_000,
      'POS knows the store rounds cash, and the product',
    );
    const till = await registerTerminal(platform, shop.storeId);
    const { context, page } = await openTill(rig, till, { width: 1280, height: 800 });
    await page.getByTestId('float').fill('100.00');
    await page.getByTestId('open-shift').click();
    await page.getByTestId('search').fill(sku);
    await page.getByTestId('search').press('Enter');
    await expect.poll(() => page.getByTestId('total').textContent(), { timeout: 10_000 }).toContain('9.98');
    // 9.98 in cash is 10.00: the till asks for it, takes a 20 and gives 10.00 back.
    expect(await page.getByTestId('cash-due').textContent()).toContain('10.00');
    await page.getByTestId('cash-tendered').fill('20');
    await page.getByTestId('pay-cash').click();
    await page.getByTestId('receipt').waitFor();
    expect(await page.getByTestId('receipt-rounding').textContent()).toBe('+€0.02');
    expect(await page.getByTestId('receipt-to-pay').textContent()).toContain('10.00');
    expect(await page.getByTestId('change').textContent()).toContain('10.00');
    await page.getByTestId('new-sale').click();

    // Card pays to the cent.
    await page.getByTestId('search').fill(sku);
    await page.getByTestId('search').press('Enter');
    await expect.poll(() => page.getByTestId('total').textContent(), { timeout: 10_000 }).toContain('9.98');
    await page.getByTestId('pay-card').click();
    await page.getByTestId('receipt').waitFor();
    expect(await page.getByTestId('receipt-rounding').count()).toBe(0);
    await page.getByTestId('new-sale').click();
    await expect.poll(() => pending(page), { timeout: 20_000 }).toBe('0');

    const sales = await serverSales(platform, till.terminalId);
    const byMethod = Object.fromEntries(sales.map((sale) => [sale.payments[0].method, sale]));
    expect(byMethod.cash).toMatchObject({
      total: 998,
      cashRounding: 2,
      cashRoundingRule: { increment: 5, current: true },
      payments: [{ method: 'cash', amount: 1000, tendered: 2000 }],
    });
    expect(byMethod.card).not.toHaveProperty('cashRounding');

    // The drawer holds 100.00 + 10.00: counted so, the shift closes with nothing over or short.
    await page.getByTestId('nav-shift').click();
    await page.getByTestId('counted').fill('110.00');
    await page.getByTestId('close-shift-confirm').click();
    await page.locator('[data-testid="z-report"][data-status="closed"]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('z-over-short').textContent()).toBe('€0.00');
    expect(await page.getByTestId('z-rounding-net').textContent()).toBe('+€0.02');
    const checks = await page.getByTestId('z-check').allTextContents();
    expect(checks.every((check) => check.startsWith('✓'))).toBe(true);
    await context.close();
  }, 60_000);

  it('rings up one sale per click or Enter, adds only exact codes, takes no mistyped cash, drops a wrong part', async () => {
    const till = await registerTerminal(platform, shop.storeId);
    /** The till syncs at once online: wait for `count` sales on the server, then for any that would follow. */
    const soldExactly = async (count: number) => {
      await eventually(
        async () => (await serverSales(platform, till.terminalId)).length >= count,
        20_000,
        'the sales reach the server',
      );
      await expect.poll(() => pending(page), { timeout: 20_000 }).toBe('0');
      expect(await serverSales(platform, till.terminalId)).toHaveLength(count);
    };
    const { context, page } = await openTill(rig, till, { width: 1280, height: 800 });
    await page.getByTestId('open-shift').click();
    const [first] = shop.skus as [string];
    // Enter (a scanner's, or a second one) adds only what the code names exactly: a part of a SKU adds nothing.
    await page.getByTestId(`product-${first}`).waitFor();
    await page.getByTestId('search').fill(first.slice(0, -1));
    await page.getByTestId('search').press('Enter');
    await page.getByTestId('search').press('Enter');
    expect(await page.getByTestId('till-error').textContent()).toContain('No product has the code');
    expect(await page.getByTestId('pay-card').isDisabled()).toBe(true);
    await page.getByTestId(`product-${first}`).click();
    await page.getByTestId('pay-card').dblclick();
    await page.getByTestId('receipt').waitFor();
    await page.getByTestId('new-sale').click();
    await page.getByTestId(`product-${first}`).click();
    await page.getByTestId('pay-card').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor();
    await page.getByTestId('new-sale').click();
    await soldExactly(2);

    // Cash given that is not an amount, or more than the server takes, is refused on screen.
    await page.getByTestId(`product-${first}`).click();
    for (const typed of ['50.5O', '-5', '1e3', '999999999999']) {
      await page.getByTestId('cash-tendered').fill(typed);
      await page.getByTestId('cash-invalid').waitFor();
      expect(await page.getByTestId('pay-cash').isDisabled()).toBe(true);
    }
    await page.getByTestId('cash-tendered').fill('');
    await page.getByTestId('pay-cash').click();
    await page.getByTestId('receipt').waitFor();
    await page.getByTestId('new-sale').click();
    await soldExactly(3);

    // A gift card part typed wrong is taken off again, and the sale is paid without it.
    await page.getByTestId(`product-${first}`).click();
    await page.getByTestId('gift-card-number').fill('GC-TYPO');
    // An amount that is not one is never taken as all that is due.
    await page.getByTestId('gift-card-amount').fill('1.0O');
    expect(await page.getByTestId('pay-gift-card').isDisabled()).toBe(true);
    await page.getByTestId('gift-card-amount').fill('1.00');
    await page.getByTestId('pay-gift-card').click();
    await page.getByTestId('remove-tender-0').click();
    expect(await page.getByTestId('remove-tender-0').count()).toBe(0);
    await page.getByTestId('pay-card').click();
    await page.getByTestId('receipt').waitFor();
    await soldExactly(4);
    const methods = (await serverSales(platform, till.terminalId)).flatMap((sale) =>
      sale.payments.map((payment: { method: string }) => payment.method),
    );
    expect(methods.sort()).toEqual(['card', 'card', 'card', 'cash']);
    await context.close();
  }, 60_000);

  it('says the key was refused after a rotation, not "Offline", and syncs what waited once given the new key', async () => {
    const till = await registerTerminal(platform, shop.storeId);
    const { context, page } = await openTill(rig, till, { width: 1280, height: 800 });
    await page.getByTestId('open-shift').click();
    const [first] = shop.skus as [string];
    await page.getByTestId(`product-${first}`).click();
    await page.getByTestId('pay-card').click();
    await page.getByTestId('receipt').waitFor();
    await page.getByTestId('new-sale').click();
    await expect.poll(() => pending(page), { timeout: 20_000 }).toBe('0');

    const rotated = await platform.request('POST', `/pos/v1/terminals/${till.terminalId}/keys`, {});
    expect(rotated.status).toBe(201);
    await page.getByTestId(`product-${first}`).click();
    await page.getByTestId('pay-card').click();
    await page.getByTestId('receipt').waitFor();
    await page.getByTestId('new-sale').click();
    await page.getByTestId('key-refused').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('net-status').textContent()).toBe('Online');
    expect(await pending(page)).toBe('1');

    await page.getByTestId('key-refused').click();
    expect(await page.getByTestId('setup-terminal').inputValue()).toBe(till.terminalId);
    await page.getByTestId('setup-key').fill(rotated.body.apiKey.secret);
    await page.getByTestId('setup-save').click();
    await expect.poll(() => pending(page), { timeout: 20_000 }).toBe('0');
    expect(await page.getByTestId('key-refused').count()).toBe(0);
    expect(await serverSales(platform, till.terminalId)).toHaveLength(2);
    await context.close();
  }, 60_000);
});
