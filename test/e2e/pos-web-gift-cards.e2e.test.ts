import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { uniqueName } from '@tillstream/kernel/testing';
import { eventually, type TestPlatform } from '../support/platform.js';
import type { Shop } from '../support/fixtures.js';
import { issueGiftCard, registerTerminal } from '../support/pos.js';
import { openTill, startBrowserShop, type BrowserShop } from '../support/browser-till.js';
import { CHROMIUM, chromiumAvailable } from '../support/web-app.js';

const title = chromiumAvailable
  ? 'the terminal web app sells and tops up gift cards in a real browser (embedded)'
  : `the terminal web app sells gift cards: SKIPPED, no chromium at ${CHROMIUM} (bash scripts/install-chromium.sh)`;

describe.skipIf(!chromiumAvailable)(title, () => {
  let rig: BrowserShop;
  let platform: TestPlatform;
  let shop: Shop;

  beforeAll(async () => {
    rig = await startBrowserShop();
    ({ platform, shop } = rig);
  });
  afterAll(async () => rig?.stop());

  const text = (page: Page, testId: string) => page.getByTestId(testId).textContent();
  /** Polls what the page shows; a loaded 2-core machine can take longer than the default second. */
  const see = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000 });
  const balanceOf = async (number: string) => {
    const card = await platform.request('GET', `/pos/v1/stored-value/${number}`);
    expect(card.status).toBe(200);
    return card.body.balance as number;
  };
  const fill = async (page: Page, fields: Record<string, string>) => {
    for (const [testId, value] of Object.entries(fields)) await page.getByTestId(testId).fill(value);
  };

  it('sells a card for cash with change, tops it up by card, resends a sale whose answer was lost, and the card pays', async () => {
    const till = await registerTerminal(platform, shop.storeId);
    const number = uniqueName('GC');
    const { context, page } = await openTill(rig, till, { width: 1280, height: 900 });
    await page.getByTestId('nav-gift-cards').click();
    await page.getByTestId('open-shift').click();

    // 25.00 on a new card, 30.00 in cash given: 5.00 back.
    await fill(page, { 'gift-number': number, 'gift-amount': '25', 'gift-cash-given': '30' });
    await page.getByTestId('gift-sell').click();
    await see(() => text(page, 'gift-change')).toContain('5.00');
    expect(await text(page, 'gift-loaded')).toContain('25.00');
    expect(await text(page, 'gift-slip-number')).toBe(number);
    expect(await text(page, 'gift-receipt-no')).toBe(`${till.terminalId}-1-1`);
    await see(() => text(page, 'gift-balance')).toContain('25.00');
    expect(await balanceOf(number)).toBe(2500);
    await page.getByTestId('gift-done').click();

    // A top-up by card whose answer is lost on the way back: the server recorded it, the till is told to resend.
    await context.route('**/pos/v1/stored-value/issues', async (route) => {
      await route.fetch();
      await route.abort('connectionreset');
    });
    await fill(page, { 'gift-number': number, 'gift-amount': '10' });
    await page.getByTestId('gift-pay-card').click();
    await page.getByTestId('gift-sell').click();
    await see(() => text(page, 'gift-error')).toContain('stored_value_offline');
    expect(await page.getByTestId('gift-number').isDisabled()).toBe(true);
    expect(await balanceOf(number)).toBe(3500);
    await context.unroute('**/pos/v1/stored-value/issues');
    await page.getByTestId('gift-retry').click();
    // The same issue (same id): loaded once, on the receipt number of the first attempt.
    await see(() => text(page, 'gift-receipt-no')).toBe(`${till.terminalId}-1-2`);
    await see(() => text(page, 'gift-balance')).toContain('35.00');
    expect(await balanceOf(number)).toBe(3500);
    await page.getByTestId('gift-done').click();

    // An expiry already past is caught before anything is numbered or sent.
    await fill(page, { 'gift-number': number, 'gift-amount': '5', 'gift-expires': '2001-01-01' });
    await see(() => text(page, 'gift-problem')).toContain('expiry date has passed');
    expect(await page.getByTestId('gift-sell').isDisabled()).toBe(true);

    // The card pays for a 3.50 sale at the till.
    await page.getByTestId('nav-sell').click();
    const [first] = shop.skus as [string];
    await page.getByTestId(`product-${first}`).click();
    await see(() => text(page, 'total')).toContain('3.50');
    await page.getByPlaceholder('Gift card no.').fill(number);
    await page.getByRole('button', { name: 'Gift card', exact: true }).click();
    await page.getByTestId('receipt').waitFor();
    await page.getByTestId('new-sale').click();
    await eventually(async () => (await balanceOf(number)) === 3150, 20_000, 'the sale debits the card');
    await context.close();
  }, 90_000);

  it("names the server's reason when it refuses a card: an expired one takes no top-up and pays for nothing", async () => {
    const till = await registerTerminal(platform, shop.storeId);
    const number = uniqueName('GC');
    const expiresAt = new Date(Date.now() + 1_000).toISOString();
    const sold = await issueGiftCard(platform, {
      storeId: shop.storeId,
      terminalId: till.terminalId,
      number,
      amount: 2000,
      expiresAt,
    });
    expect(sold.status, JSON.stringify(sold.body)).toBe(201);
    const { context, page } = await openTill(rig, till, { width: 1280, height: 900 });
    await page.getByTestId('open-shift').click();
    await delay(Date.parse(expiresAt) - Date.now() + 100);

    await page.getByTestId('nav-gift-cards').click();
    await fill(page, { 'gift-number': number, 'gift-amount': '10' });
    await page.getByTestId('gift-pay-card').click();
    await page.getByTestId('gift-sell').click();
    await see(() => text(page, 'gift-error')).toContain('(stored_value_expired)');
    expect(await text(page, 'gift-error-message')).toContain(`${number} expired at`);

    await page.getByTestId('nav-sell').click();
    const [first] = shop.skus as [string];
    await page.getByTestId(`product-${first}`).click();
    await page.getByPlaceholder('Gift card no.').fill(number);
    await page.getByRole('button', { name: 'Gift card', exact: true }).click();
    await see(() => page.getByText(`${number} expired at`).count()).toBe(1);
    // Not sold: no receipt, and the basket is still there to pay otherwise. (The card's balance is no witness:
    // the sweeper lapses an expired card's value whenever it passes.)
    expect(await page.getByTestId('receipt').count()).toBe(0);
    expect(await text(page, 'total')).toContain('3.50');
    await context.close();
  }, 60_000);

  it('will not sell a card offline', async () => {
    const till = await registerTerminal(platform, shop.storeId);
    const { context, page } = await openTill(rig, till, { width: 1280, height: 900 });
    await page.getByTestId('open-shift').click();
    await page.getByTestId('nav-gift-cards').click();
    await context.setOffline(true);
    await see(() => text(page, 'net-status')).toBe('Offline');
    await fill(page, { 'gift-number': uniqueName('GC'), 'gift-amount': '25' });
    await see(() => text(page, 'gift-offline')).toContain('needs the server');
    expect(await page.getByTestId('gift-sell').isDisabled()).toBe(true);
    await context.close();
  }, 60_000);
});
