import { chromium, type Browser } from 'playwright-core';
import { eventually, startPlatform, type TestPlatform } from './platform.js';
import { seedShop, type Shop } from './fixtures.js';
import { posUrl } from './pos.js';
import { buildWebApp, CHROMIUM, CHROMIUM_FLAGS } from './web-app.js';

export interface BrowserShop {
  platform: TestPlatform;
  shop: Shop;
  browser: Browser;
  stop(): Promise<void>;
}

/** The current web app on an embedded platform with a two-product shop POS already knows, and a chromium. */
export async function startBrowserShop(): Promise<BrowserShop> {
  buildWebApp();
  const platform = await startPlatform('embedded');
  const shop = await seedShop(platform, { skuCount: 2, stock: 50, price: 350 });
  await eventually(
    async () => (await platform.request('GET', '/pos/v1/catalog')).body.products?.length >= 2,
    20_000,
    'POS knows the products',
  );
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
  return {
    platform,
    shop,
    browser,
    async stop() {
      await browser.close();
      await platform.stop();
    },
  };
}

/** A fresh browser context on the web app, set up as the given terminal of the shop's store. */
export async function openTill(
  { browser, platform, shop }: BrowserShop,
  till: { terminalId: string; apiKey: string },
  viewport: { width: number; height: number },
) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(`${posUrl(platform)}/pos/app/`);
  await page.getByTestId('setup-terminal').fill(till.terminalId);
  await page.getByTestId('setup-store').fill(shop.storeId);
  await page.getByTestId('setup-key').fill(till.apiKey);
  await page.getByTestId('setup-save').click();
  return { context, page };
}
