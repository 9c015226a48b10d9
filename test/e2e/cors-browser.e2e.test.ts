/**
 * A headless storefront's page, served from its own origin, calls the API from a real browser: the browser,
 * not a test's fetch, decides whether a cross-origin answer may be read, after a preflight where one is due.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ENGINES } from '../support/engines.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { seedShop, type Shop } from '../support/fixtures.js';
import { CHROMIUM, CHROMIUM_FLAGS, chromiumAvailable } from '../support/web-app.js';

/** A page at its own origin (another port of 127.0.0.1 is another origin), doing nothing until told to. */
async function servePage(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><title>shop</title>');
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** What a page's fetch got: the status and the headers it may read, or the browser's refusal. */
interface PageAnswer {
  status?: number;
  body?: Record<string, unknown>;
  headers?: Record<string, string | null>;
  refused?: string;
}

const fetchFrom = (
  page: Page,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
) =>
  page.evaluate(
    async ({ url, init }): Promise<PageAnswer> => {
      try {
        const response = await fetch(url, init);
        const names = ['x-trace-id', 'etag', 'allow', 'idempotency-key-ignored', 'retry-after', 'ratelimit'];
        return {
          status: response.status,
          body: (await response.json()) as Record<string, unknown>,
          headers: Object.fromEntries(names.map((name) => [name, response.headers.get(name)])),
        };
      } catch (error) {
        return { refused: String(error) };
      }
    },
    { url, init },
  );

const title = chromiumAvailable
  ? 'pages of the allowed origins call the API from a browser (%s)'
  : `pages of the allowed origins call the API from a browser (%s): SKIPPED, no chromium at ${CHROMIUM}`;

describe.skipIf(!chromiumAvailable).each(ENGINES)(title, (engine) => {
  let platform: TestPlatform;
  let shop: Shop;
  let browser: Browser;
  let allowed: { server: Server; origin: string };
  let other: { server: Server; origin: string };
  let shopPage: Page;
  let otherPage: Page;
  const api = (context: string) => platform.processes.get(context as never)![0]!.baseUrl;

  beforeAll(async () => {
    [allowed, other] = await Promise.all([servePage(), servePage()]);
    platform = await startPlatform(engine, {
      env: {
        TILLSTREAM_CORS_ORIGINS: `https://unused.example, ${allowed.origin}`,
        TILLSTREAM_PUBLIC_WRITES_PER_MINUTE: '3',
      },
    });
    shop = await seedShop(platform, { skuCount: 1, stock: 5 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
    [shopPage, otherPage] = await Promise.all([browser.newPage(), browser.newPage()]);
    await Promise.all([shopPage.goto(allowed.origin), otherPage.goto(other.origin)]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    allowed?.server.close();
    other?.server.close();
    await platform?.stop();
  });

  it('reads a product and the headers a client acts on', async () => {
    const answer = await fetchFrom(shopPage, `${api('commerce')}/commerce/v1/products/${shop.skus[0]}`, {});
    expect(answer).toMatchObject({ status: 200, body: { sku: shop.skus[0] } });
    expect(answer.headers?.['x-trace-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(answer.headers?.etag).toBeTruthy();
  });

  it('passes the preflight of a JSON POST with an Idempotency-Key, and of a keyed PUT', async () => {
    const cart = await fetchFrom(shopPage, `${api('commerce')}/commerce/v1/carts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'cart-from-the-browser' },
      body: JSON.stringify({ currency: 'EUR' }),
    });
    expect(cart.status, JSON.stringify(cart)).toBe(201);
    // An anonymous caller's key is ignored, and the page can read that it was.
    expect(cart.headers?.['idempotency-key-ignored']).toBe('anonymous');
    const location = await fetchFrom(shopPage, `${api('erp')}/erp/v1/locations/from-the-browser`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${platform.adminKey}` },
      body: JSON.stringify({ name: 'Made in a browser', kind: 'store' }),
    });
    expect(location.status, JSON.stringify(location)).toBe(201);
  });

  it('lets the page read a refusal too, with its problem document and Allow', async () => {
    const answer = await fetchFrom(shopPage, `${api('erp')}/erp/v1/locations/from-the-browser`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${platform.adminKey}` },
    });
    expect(answer).toMatchObject({ status: 405, body: { code: 'method_not_allowed' } });
    expect(answer.headers?.allow).toBe('GET, HEAD, PUT');
  });

  it("lets the page read what is left of its address's writes, and a 429 with Retry-After", async () => {
    const carts = `${api('commerce')}/commerce/v1/carts`;
    const create = () =>
      fetchFrom(shopPage, carts, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ currency: 'EUR' }),
      });
    // Three writes a minute; the preflight test above made one cart.
    expect((await create()).headers?.ratelimit).toMatch(/^"public-writes";r=1;t=\d+$/);
    expect((await create()).headers?.ratelimit).toMatch(/^"public-writes";r=0;t=\d+$/);
    const refused = await create();
    expect(refused).toMatchObject({ status: 429, body: { code: 'rate_limited' } });
    expect(Number(refused.headers?.['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses a page of another origin: the browser keeps the answer from it, and nothing is written', async () => {
    const read = await fetchFrom(otherPage, `${api('commerce')}/commerce/v1/products/${shop.skus[0]}`, {});
    expect(read.refused).toContain('Failed to fetch');
    const write = await fetchFrom(otherPage, `${api('erp')}/erp/v1/locations/from-another-origin`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${platform.adminKey}` },
      body: JSON.stringify({ name: 'Should not exist', kind: 'store' }),
    });
    expect(write.refused).toContain('Failed to fetch');
    expect((await platform.request('GET', '/erp/v1/locations/from-another-origin')).status).toBe(404);
  });
});
