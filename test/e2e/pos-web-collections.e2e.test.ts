/**
 * The collection desk of the terminal web app in a real browser: a click-and-collect order placed online shows
 * on the till of its store, the clerk puts it aside and hands it over after checking the shopper's name, and
 * ERP and the order follow; an order cancelled on the desk is refused, and listed until its goods are put back
 * (never put aside, it leaves at once); a row that leaves hands the keyboard to the row after it, or to the
 * search; offline, the screen says it needs the server instead of failing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { openTill, type BrowserShop } from '../support/browser-till.js';
import { COLLECTOR, seedCollectionShop, type CollectionShop } from '../support/collections.js';
import { checkOut } from '../support/delivery.js';
import { fulfilmentsOf } from '../support/fulfilments.js';
import { receive } from '../support/inventory.js';
import { eventually, type TestPlatform } from '../support/platform.js';
import { registerTerminal } from '../support/pos.js';
import { ok, startPricingPlatform } from '../support/pricing.js';
import { buildWebApp, CHROMIUM, CHROMIUM_FLAGS, chromiumAvailable } from '../support/web-app.js';

const title = chromiumAvailable
  ? 'the collection desk of the terminal web app in a real browser (embedded)'
  : `the collection desk of the terminal web app: SKIPPED, no chromium at ${CHROMIUM} (bash scripts/install-chromium.sh)`;
const VIEWPORT = { width: 1280, height: 800 };

describe.skipIf(!chromiumAvailable)(title, () => {
  let platform: TestPlatform;
  let collections: CollectionShop;
  let browser: Browser;
  let rig: BrowserShop;
  let till: { terminalId: string; apiKey: string };
  const asTill = (method: string, path: string) =>
    platform.request(method, path, undefined, { authorization: `Bearer ${till.apiKey}` });

  beforeAll(async () => {
    buildWebApp();
    platform = await startPricingPlatform('embedded');
    collections = await seedCollectionShop(platform);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
    const shop = {
      storeId: collections.storeId,
      warehouseId: collections.shop.warehouseId,
      skus: [collections.shop.sku],
    };
    rig = { platform, browser, shop, stop: async () => {} };
    till = await registerTerminal(platform, collections.storeId);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  const placeCollection = async (quantity: number) => {
    const order = await checkOut(platform, await collections.collectionCart(quantity), 'anna@example.com');
    const [fulfilment] = await fulfilmentsOf(platform, order.id);
    return { order, fulfilment };
  };
  /** The till, set up, on its Collections screen. */
  const openDesk = async () => {
    const opened = await openTill(rig, till, VIEWPORT);
    await opened.page.getByTestId('nav-collections').click();
    await opened.page.getByTestId('collections-search').waitFor();
    return opened;
  };
  /** Acts answer asynchronously: wait until the screen tells the clerk `text`. */
  const untilTold = (page: Page, text: string) =>
    expect.poll(() => page.getByTestId('collections-message').textContent(), { timeout: 10_000 }).toBe(text);
  const openRow = (page: Page, fulfilmentId: string) =>
    page.getByTestId('collections-open').getByTestId(`collection-${fulfilmentId}`);
  /** The order's row, once a refresh shows it: POS hears of the order from ERP's events. */
  const waitForRow = async (page: Page, fulfilmentId: string) => {
    const row = openRow(page, fulfilmentId);
    await expect
      .poll(
        async () => {
          if ((await row.count()) === 0) await page.getByTestId('collections-refresh').click();
          return row.count();
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(1);
    return row;
  };
  /** The test id of the element the keyboard is on (null on the page itself). */
  const focusedTestId = (page: Page) => () =>
    page.evaluate("document.activeElement?.getAttribute('data-testid') ?? null");
  const untilBadge = (row: Locator, label: string) =>
    expect.poll(() => row.getByTestId('collection-status').textContent(), { timeout: 10_000 }).toBe(label);
  const statusOf = async (fulfilmentId: string) =>
    ok(await asTill('GET', `/pos/v1/collections/${fulfilmentId}`), 'collection');

  it('shows a new order, puts it aside, and hands it over once the name is checked: ERP and the order follow', async () => {
    const { order, fulfilment } = await placeCollection(2);
    const { context, page } = await openDesk();
    expect(await page.getByTestId('nav-collections').getAttribute('accesskey')).toBe('c');
    const row = await waitForRow(page, fulfilment.id);
    expect(await row.getByTestId('collection-name').textContent()).toBe(COLLECTOR.name);
    expect(await row.textContent()).toContain(COLLECTOR.phone);
    expect(await row.getByTestId('collection-order').textContent()).toBe(order.id);
    expect(await row.getByTestId('collection-goods').textContent()).toContain('2 × Tee');
    expect(await row.getByTestId('collection-status').textContent()).toBe('To prepare');

    // The search narrows the list by the collector's name (any case) or the order id.
    const search = page.getByTestId('collections-search');
    await search.fill('anna DE');
    expect(await row.count()).toBe(1);
    await search.fill('nobody by that name');
    expect(await page.getByTestId('collections-open-empty').textContent()).toContain('No collection matches');
    await search.fill(order.id);
    await row.waitFor();

    await row.getByTestId('collection-prepare').click();
    await untilBadge(row, 'Ready');
    await untilTold(page, `Put aside: order ${order.id} for ${COLLECTOR.name} is ready to collect.`);
    expect(await row.getByTestId('collection-prepare').count()).toBe(0);
    // ERP makes it ready and commerce tells the shopper.
    await collections.orderStatus(order.id, 'ready_for_pickup');

    // The hand-over asks first: "Not yet" (Escape) posts nothing.
    await row.getByTestId('collection-hand-over').click();
    const dialog = page.getByTestId('hand-over-dialog');
    expect(await dialog.textContent()).toContain(COLLECTOR.name);
    expect(await page.getByTestId('hand-over-confirm').isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await statusOf(fulfilment.id)).status).toBe('ready');

    // By keyboard: the check box has the focus; ticked, the confirm button hands it over.
    await row.getByTestId('collection-hand-over').click();
    expect(await page.evaluate("document.activeElement.getAttribute('data-testid')")).toBe(
      'hand-over-checked',
    );
    await page.keyboard.press('Space');
    expect(await page.getByTestId('hand-over-checked').isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await untilTold(page, `Handed over: order ${order.id} to ${COLLECTOR.name}.`);
    await row.waitFor({ state: 'detached' });
    // The only row the search showed is gone: the keyboard goes on from the search, not from the page's top.
    await expect.poll(focusedTestId(page)).toBe('collections-search');
    expect(await statusOf(fulfilment.id)).toMatchObject({
      status: 'collected',
      handedOver: { terminalId: till.terminalId },
    });

    await collections.orderStatus(order.id, 'delivered');
    await eventually(
      async () => (await fulfilmentsOf(platform, order.id))[0].status === 'delivered',
      30_000,
      'ERP delivers the fulfilment',
    );
    await context.close();
  }, 90_000);

  it('keeps the keyboard on the desk when a row leaves it: on the row that takes its place', async () => {
    // Two more units at the store, so the orders of the tests after this one still find theirs.
    await receive(platform, collections.shop.sku, collections.storeId, 2);
    const first = await placeCollection(1);
    const second = await placeCollection(1);
    const { context, page } = await openDesk();
    const row = await waitForRow(page, first.fulfilment.id);
    await waitForRow(page, second.fulfilment.id);
    const rows = await page
      .getByTestId('collections-open')
      .locator('tbody > tr')
      .evaluateAll((found) => found.map((each) => each.getAttribute('data-testid')));
    const at = rows.indexOf(`collection-${first.fulfilment.id}`);
    const takesItsPlace = rows[at + 1] ?? rows[at - 1];

    // Handed over by keyboard alone: Enter on the row's button, tick the name check, confirm.
    await row.getByTestId('collection-hand-over').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('hand-over-checked').waitFor();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await row.waitFor({ state: 'detached' });
    await expect
      .poll(() => page.evaluate("document.activeElement?.closest('tr')?.getAttribute('data-testid') ?? null"))
      .toBe(takesItsPlace);
    // On a button of that row, so Enter acts on it at once.
    expect(await page.evaluate('document.activeElement?.tagName')).toBe('BUTTON');
    await context.close();
  }, 90_000);

  /** The shopper cancels online, and POS hears of it: the screen still shows the order as it read it. */
  const cancelOnline = async (orderId: string, fulfilmentId: string, becomes: 'cancelled' | 'restocked') => {
    ok(
      await platform.request('POST', `/commerce/v1/orders/${orderId}/cancel`, { reason: 'changed mind' }),
      'cancel',
    );
    await eventually(
      async () => (await statusOf(fulfilmentId)).status === becomes,
      30_000,
      `POS hears of the cancellation (${becomes})`,
    );
  };
  const handOver = async (page: Page, row: Locator) => {
    await row.getByTestId('collection-hand-over').click();
    await page.getByTestId('hand-over-checked').check();
    await page.getByTestId('hand-over-confirm').click();
  };
  const refresh = async (page: Page) => {
    await page.getByTestId('collections-refresh').click();
    await expect.poll(() => page.getByTestId('collections-refresh').textContent()).toBe('Refresh');
  };

  it('refuses to hand over an order cancelled after it was put aside, and lists it until put back on the shelf', async () => {
    const { order, fulfilment } = await placeCollection(1);
    const { context, page } = await openDesk();
    const row = await waitForRow(page, fulfilment.id);
    await row.getByTestId('collection-prepare').click();
    await untilBadge(row, 'Ready');
    await collections.orderStatus(order.id, 'ready_for_pickup');
    await cancelOnline(order.id, fulfilment.id, 'cancelled');

    // The refused hand-over moves the row where the server lists it: goods to put back.
    await handOver(page, row);
    await untilTold(page, `Order ${order.id} was cancelled — put the goods back on the shelf.`);
    const putBack = page.getByTestId('collections-cancelled').getByTestId(`collection-${fulfilment.id}`);
    await putBack.waitFor();
    expect(await putBack.getByTestId('collection-status').textContent()).toBe('Cancelled');
    expect(await putBack.getByTestId('collection-hand-over').count()).toBe(0);
    expect(await openRow(page, fulfilment.id).count()).toBe(0);
    // Read again from the server, it is still there: nobody put the goods back yet.
    await refresh(page);
    expect(await putBack.count()).toBe(1);

    await putBack.getByTestId('collection-put-back').click();
    await untilTold(page, `Order ${order.id} is back on the shelf.`);
    await putBack.waitFor({ state: 'detached' });
    // Its list went with it: the keyboard goes on from the search.
    await expect.poll(focusedTestId(page)).toBe('collections-search');
    expect(await statusOf(fulfilment.id)).toMatchObject({
      status: 'restocked',
      putBack: { terminalId: till.terminalId },
      handedOver: null,
    });
    await refresh(page);
    expect(await putBack.count()).toBe(0);
    await context.close();
  }, 90_000);

  it('takes an order cancelled before it was put aside off the desk: nothing to put back', async () => {
    const { order, fulfilment } = await placeCollection(1);
    const { context, page } = await openDesk();
    const row = await waitForRow(page, fulfilment.id);
    await cancelOnline(order.id, fulfilment.id, 'restocked');

    await handOver(page, row);
    await untilTold(
      page,
      `Order ${order.id} was cancelled; its goods are on the shelf already, nothing to put back.`,
    );
    // Off the desk altogether: not to hand over, nor to put back.
    await page.getByTestId(`collection-${fulfilment.id}`).waitFor({ state: 'detached' });
    expect(await statusOf(fulfilment.id)).toMatchObject({ status: 'restocked', putBack: null });
    await context.close();
  }, 90_000);

  it('says it needs the server when offline, reads the desk again once back, and hands over unprepared', async () => {
    const { order, fulfilment } = await placeCollection(1);
    const { context, page } = await openDesk();
    const row = await waitForRow(page, fulfilment.id);

    await context.setOffline(true);
    await page.getByTestId('collections-offline').waitFor();
    expect(await page.getByTestId('collections-offline').textContent()).toContain('need the server');
    expect(await row.getByTestId('collection-hand-over').isDisabled()).toBe(true);
    await page.getByTestId('collections-refresh').click();
    expect(await page.getByTestId('collections-offline').isVisible()).toBe(true);

    // Opened offline, it has nothing to show but the notice.
    await page.getByTestId('nav-sell').click();
    await page.getByTestId('nav-collections').click();
    await page.getByTestId('collections-offline').waitFor();
    expect(await row.count()).toBe(0);

    await context.setOffline(false);
    await row.waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('collections-offline').count()).toBe(0);

    // Back online, one never put aside is handed over all the same: the shopper is at the counter.
    await row.getByTestId('collection-hand-over').click();
    expect(await page.getByTestId('hand-over-dialog').textContent()).toContain('Not put aside yet');
    await page.getByTestId('hand-over-checked').check();
    await page.getByTestId('hand-over-confirm').click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    await collections.orderStatus(order.id, 'delivered');
    await context.close();
  }, 90_000);
});
